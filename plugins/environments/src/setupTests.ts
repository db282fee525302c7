import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// These tests render whole Backstage pages in jsdom; on a loaded 2-core CI machine the first
// render of a file alone can take seconds, so waits and tests get room before they fail.
configure({ asyncUtilTimeout: 10_000 });
jest.setTimeout(30_000);
