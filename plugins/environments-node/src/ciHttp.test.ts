import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { delay, http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { CiHttpClient, CiUpstreamError } from './ciHttp';

const server = setupServer();
registerMswTestHooks(server);

const URL_RUNS = 'https://api.ci.example.com/runs';

async function failure(promise: Promise<unknown>): Promise<CiUpstreamError> {
  try {
    await promise;
  } catch (error) {
    return error as CiUpstreamError;
  }
  throw new Error('expected the request to fail');
}

describe('CiHttpClient', () => {
  const waits: number[] = [];
  const client = (options = {}) =>
    new CiHttpClient({
      sleep: async ms => {
        waits.push(ms);
      },
      ...options,
    });
  beforeEach(() => {
    waits.length = 0;
  });

  it('asks conditionally and answers a 304 from the stored body, per credential', async () => {
    const seen: Array<string | null> = [];
    server.use(
      http.get(URL_RUNS, ({ request }) => {
        const tag = request.headers.get('if-none-match');
        seen.push(tag);
        return tag === '"v1"'
          ? new HttpResponse(null, { status: 304 })
          : HttpResponse.json({ runs: [1] }, { headers: { ETag: '"v1"' } });
      }),
    );
    const ci = client();
    expect(await ci.getJson(URL_RUNS, { credentialKey: 'app-1' })).toEqual({
      runs: [1],
    });
    expect(await ci.getJson(URL_RUNS, { credentialKey: 'app-1' })).toEqual({
      runs: [1],
    });
    // Another token's ETag would not be honoured: no conditional request for it.
    await ci.getJson(URL_RUNS, { credentialKey: 'app-2' });
    expect(seen).toEqual([null, '"v1"', null]);
    expect(ci.stats).toEqual({ requests: 3, notModified: 1, retries: 0 });
  });

  it('waits as Retry-After asks on a 429, then succeeds', async () => {
    let calls = 0;
    server.use(
      http.get(URL_RUNS, () =>
        ++calls === 1
          ? new HttpResponse(null, {
              status: 429,
              headers: { 'Retry-After': '2' },
            })
          : HttpResponse.json({ ok: true }),
      ),
    );
    const ci = client();
    expect(await ci.getJson(URL_RUNS)).toEqual({ ok: true });
    expect(waits).toEqual([2000]);
    expect(ci.stats.retries).toBe(1);
  });

  it('fails at once, saying until when, when the rate limit resets too late', async () => {
    const reset = Math.floor(Date.now() / 1000) + 3600;
    server.use(
      http.get(URL_RUNS, () =>
        HttpResponse.json(
          { message: 'API rate limit exceeded' },
          {
            status: 403,
            headers: {
              'x-ratelimit-remaining': '0',
              'x-ratelimit-reset': String(reset),
            },
          },
        ),
      ),
    );
    const error = await failure(client().getJson(URL_RUNS));
    expect(error).toBeInstanceOf(CiUpstreamError);
    expect(error.problem).toBe('rate-limited');
    expect(Math.abs(error.retryAt!.getTime() - reset * 1000)).toBeLessThan(
      2000,
    );
    expect(waits).toEqual([]);
  });

  it('retries a 5xx with back-off, then gives up as unavailable', async () => {
    let calls = 0;
    server.use(
      http.get(URL_RUNS, () => {
        calls += 1;
        return new HttpResponse('oops', { status: 502 });
      }),
    );
    const error = await failure(client().getJson(URL_RUNS));
    expect(error).toMatchObject({ problem: 'unavailable', status: 502 });
    expect(calls).toBe(3);
    expect(waits).toEqual([200, 400]);
  });

  it('times out, and tells a missing project and a body that is not JSON apart', async () => {
    server.use(
      http.get(URL_RUNS, async () => {
        await delay(1000);
        return HttpResponse.json({});
      }),
      http.get('https://api.ci.example.com/missing', () =>
        HttpResponse.json({ message: 'Not Found' }, { status: 404 }),
      ),
      http.get('https://api.ci.example.com/html', () =>
        HttpResponse.text('<html>maintenance</html>'),
      ),
    );
    const ci = client({ timeoutMs: 50 });
    expect(await failure(ci.getJson(URL_RUNS))).toMatchObject({
      problem: 'timeout',
      message: 'api.ci.example.com did not answer within 50 ms',
    });
    expect(
      await failure(ci.getJson('https://api.ci.example.com/missing')),
    ).toMatchObject({ problem: 'not-found', status: 404 });
    expect(
      await failure(ci.getJson('https://api.ci.example.com/html')),
    ).toMatchObject({ problem: 'unavailable' });
  });

  it('keeps at most the configured number of requests in flight per host', async () => {
    let inFlight = 0;
    let most = 0;
    server.use(
      http.get(URL_RUNS, async () => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        await delay(20);
        inFlight -= 1;
        return HttpResponse.json({});
      }),
    );
    const ci = client({ maxConcurrentPerHost: 2 });
    await Promise.all(Array.from({ length: 10 }, () => ci.getJson(URL_RUNS)));
    expect(most).toBe(2);
    expect(ci.stats.requests).toBe(10);
  });
});
