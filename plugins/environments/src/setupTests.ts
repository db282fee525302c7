import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// These tests render whole Backstage pages in jsdom; on a loaded 2-core CI machine the first
// render of a file alone can take seconds, so waits and tests get room before they fail.
configure({ asyncUtilTimeout: 10_000 });
jest.setTimeout(30_000);

// jsdom has no layout, so no ResizeObserver; recharts' ResponsiveContainer needs one to mount.
// Charts render for real in the Chromium end-to-end test.
class NoLayoutResizeObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
}
globalThis.ResizeObserver ??= NoLayoutResizeObserver as any;
