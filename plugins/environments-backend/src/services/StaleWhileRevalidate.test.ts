import { mockServices } from '@backstage/backend-test-utils';
import { memoryCache } from '../__testUtils__/memoryCache';
import { StaleWhileRevalidate } from './StaleWhileRevalidate';

describe('StaleWhileRevalidate', () => {
  let now = Date.parse('2026-11-27T09:00:00Z');
  beforeEach(() => {
    jest.spyOn(Date, 'now').mockImplementation(() => now);
  });
  afterEach(() => {
    jest.restoreAllMocks();
  });
  const swr = () =>
    new StaleWhileRevalidate(memoryCache(), mockServices.logger.mock());
  const fresh60s = () => 60_000;
  // Lets background refreshes finish.
  const settle = () => new Promise(resolve => setTimeout(resolve, 10));

  it('makes one upstream call for many concurrent viewers', async () => {
    const cache = swr();
    let calls = 0;
    const load = async () => {
      calls += 1;
      await new Promise(resolve => setTimeout(resolve, 20));
      return { runs: calls };
    };
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => cache.get('k', fresh60s, load)),
    );
    expect(calls).toBe(1);
    expect(answers.every(a => a.status === 'ok' && a.value?.runs === 1)).toBe(
      true,
    );
    // Fresh: no call at all.
    await cache.get('k', fresh60s, load);
    expect(calls).toBe(1);
  });

  it('answers old data at once and refreshes it in the background', async () => {
    const cache = swr();
    let version = 1;
    const load = async () => ({ version: version++ });
    await cache.get('k', fresh60s, load);
    now += 61_000;
    const old = await cache.get('k', fresh60s, load);
    expect(old.value).toEqual({ version: 1 });
    await settle();
    const renewed = await cache.get('k', fresh60s, load);
    expect(renewed).toMatchObject({
      status: 'ok',
      value: { version: 2 },
      asOf: new Date(now).toISOString(),
    });
  });

  it('keeps serving the last known value, marked stale with the reason, when upstream fails', async () => {
    const cache = swr();
    const storedAt = new Date(now).toISOString();
    await cache.get('k', fresh60s, async () => ({ version: 1 }));
    now += 61_000;
    const failing = async (): Promise<{ version: number }> => {
      throw new Error('ci.example.com did not answer within 10000 ms');
    };
    await cache.get('k', fresh60s, failing);
    await settle();
    expect(await cache.get('k', fresh60s, failing)).toEqual({
      status: 'stale',
      value: { version: 1 },
      reason: 'ci.example.com did not answer within 10000 ms',
      asOf: storedAt,
    });
  });

  it('does not ask a failing source again on every view', async () => {
    const cache = swr();
    await cache.get('k', fresh60s, async () => ({ version: 1 }));
    now += 61_000;
    let calls = 0;
    const failing = async (): Promise<{ version: number }> => {
      calls += 1;
      throw new Error('rate-limited');
    };
    await cache.get('k', fresh60s, failing);
    await settle();
    for (let i = 0; i < 5; i++) await cache.get('k', fresh60s, failing);
    expect(calls).toBe(1);
    now += 31_000;
    await cache.get('k', fresh60s, failing);
    await settle();
    expect(calls).toBe(2);
  });

  it('throws failures that are answers instead of caching them', async () => {
    const cache = swr();
    const missing = new Error('no such run');
    await expect(
      cache.get(
        'k',
        fresh60s,
        async () => {
          throw missing;
        },
        error => error === missing,
      ),
    ).rejects.toBe(missing);
  });

  it('says unavailable when nothing is known, and does not ask again at once', async () => {
    const cache = swr();
    let calls = 0;
    const failing = async () => {
      calls += 1;
      throw new Error('ci.example.com answered 503');
    };
    expect(await cache.get('k', fresh60s, failing)).toEqual({
      status: 'unavailable',
      reason: 'ci.example.com answered 503',
    });
    await cache.get('k', fresh60s, failing);
    expect(calls).toBe(1);
    now += 31_000;
    await cache.get('k', fresh60s, failing);
    expect(calls).toBe(2);
  });
});
