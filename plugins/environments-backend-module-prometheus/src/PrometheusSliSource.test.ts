import http from 'node:http';
import { AddressInfo } from 'node:net';
import { PrometheusSliSource } from './PrometheusSliSource';
import {
  incidentFixture,
  RunningPrometheus,
  startPrometheus,
} from './testUtils';

jest.setTimeout(120_000);

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const START = Date.parse('2024-01-01T00:00:00Z');
const MINUTES = 8 * 24 * 60;
const END = START + MINUTES * MINUTE;
// checkout: staging with a 30-minute incident that ended 15 minutes before the data ends,
// qa quiet (see incidentFixture for the numbers).
const fixture = incidentFixture({
  startSeconds: START / 1000,
  minutes: MINUTES,
});

const sum = (points: Array<{ value: number | undefined }>) =>
  points.reduce((total, p) => total + (p.value ?? 0), 0);

describe('PrometheusSliSource on a real Prometheus', () => {
  let prometheus: RunningPrometheus;
  let source: PrometheusSliSource;

  beforeAll(async () => {
    prometheus = await startPrometheus(fixture);
    source = new PrometheusSliSource({ baseUrl: prometheus.url });
  });
  afterAll(async () => {
    await prometheus?.stop();
  });

  const week = (stepMs: number) => ({
    firstEnd: END - 7 * DAY + stepMs,
    lastEnd: END,
    stepMs,
  });

  it('counts events in non-overlapping buckets that add up exactly', async () => {
    const total = await source.countEvents({
      query: 'http_requests_total{job="checkout"}',
      labels: { env: 'staging' },
      ...week(5 * MINUTE),
    });
    const bad = await source.countEvents({
      query: 'http_requests_total{job="checkout",code=~"5.."}',
      labels: { env: 'staging' },
      ...week(5 * MINUTE),
    });
    expect(total).toHaveLength(7 * 288);
    expect(sum(total)).toBeCloseTo(7 * 24 * 60 * 2000, 3);
    // 1 a minute for 7 days, plus 399 more for each of the incident's 30 minutes.
    expect(sum(bad)).toBeCloseTo(7 * 24 * 60 + 30 * 399, 3);
    expect(sum(bad) / sum(total)).toBeCloseTo(0.00109375, 10);
    // The last bucket is the 5 quiet minutes that ended the data.
    expect(bad[bad.length - 1]).toEqual({ end: END, value: 5 });
  });

  it('scopes by environment label, and reports buckets without samples as unknown', async () => {
    const qa = await source.countEvents({
      query: 'http_requests_total{job="checkout"}',
      labels: { env: 'qa' },
      ...week(60 * MINUTE),
    });
    expect(sum(qa)).toBeCloseTo(7 * 24 * 60 * 1000, 3);

    const absent = await source.countEvents({
      query: 'http_requests_total{job="checkout"}',
      labels: { env: 'nowhere' },
      ...week(60 * MINUTE),
    });
    expect(absent).toHaveLength(7 * 24);
    expect(absent.every(p => p.value === undefined)).toBe(true);

    // Buckets after the data ends have no samples either.
    const after = await source.countEvents({
      query: 'http_requests_total',
      labels: {},
      firstEnd: END + 10 * MINUTE,
      lastEnd: END + 20 * MINUTE,
      stepMs: 5 * MINUTE,
    });
    expect(after.map(p => p.value)).toEqual([undefined, undefined, undefined]);
  });

  it('takes the worst gauge value per slice', async () => {
    const slices = await source.worstValues({
      query: 'latency_p99_seconds{job="checkout"}',
      labels: { env: 'staging' },
      worst: 'max',
      ...week(5 * MINUTE),
    });
    // Ranges include their start, so the incident's first sample also spoils the slice
    // before it: 30 minutes touch 7 slices of 5.
    expect(slices.filter(s => s.value! > 0.3)).toHaveLength(7);
    expect(slices.filter(s => s.value === 0.2)).toHaveLength(7 * 288 - 7);
  });

  it('splits a range beyond 11,000 points into several queries without losing one', async () => {
    const perMinute = await source.countEvents({
      query: 'http_requests_total{job="checkout"}',
      labels: { env: 'qa' },
      firstEnd: END - 8 * DAY + 2 * MINUTE,
      lastEnd: END,
      stepMs: MINUTE,
    });
    expect(perMinute).toHaveLength(8 * 24 * 60 - 1);
    expect(perMinute.every(p => p.value === 1000)).toBe(true);
  });

  it('passes on what Prometheus says about a bad query', async () => {
    await expect(
      source.countEvents({
        query: 'http_requests_total{job=',
        labels: {},
        ...week(60 * MINUTE),
      }),
    ).rejects.toThrow(/Prometheus answered 400: bad_data/);
  });
});

describe('PrometheusSliSource when Prometheus misbehaves', () => {
  let server: http.Server;
  let url: string;
  let answer: (res: http.ServerResponse) => void;
  const request = {
    query: 'up',
    labels: {},
    firstEnd: START + MINUTE,
    lastEnd: START + 3 * MINUTE,
    stepMs: MINUTE,
  };

  beforeAll(async () => {
    server = http.createServer((_req, res) => answer(res));
    await new Promise<void>(resolve =>
      server.listen(0, '127.0.0.1', () => resolve()),
    );
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise(resolve => server.close(resolve));
  });

  it('gives up after its timeout', async () => {
    answer = () => {}; // never answers
    const slow = new PrometheusSliSource({ baseUrl: url, timeoutMs: 300 });
    await expect(slow.countEvents(request)).rejects.toThrow(
      'Prometheus query failed: no answer within 300 ms',
    );
  });

  it('explains a body that is not JSON, an error status and an unexpected shape', async () => {
    const source = new PrometheusSliSource({ baseUrl: url });
    answer = res => res.writeHead(502).end('<html>bad gateway</html>');
    await expect(source.countEvents(request)).rejects.toThrow(
      'Prometheus answered 502 with a body that is not JSON',
    );
    answer = res =>
      res.writeHead(503, { 'Content-Type': 'application/json' }).end(
        JSON.stringify({
          status: 'error',
          errorType: 'unavailable',
          error: 'overloaded',
        }),
      );
    await expect(source.countEvents(request)).rejects.toThrow(
      'Prometheus answered 503: unavailable: overloaded',
    );
    answer = res =>
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(
        JSON.stringify({
          status: 'success',
          data: { resultType: 'vector', result: [] },
        }),
      );
    await expect(source.countEvents(request)).rejects.toThrow(
      'unexpected result shape',
    );
  });

  it('sends the configured token and headers, and reads NaN and Inf as unknown', async () => {
    let headers: http.IncomingHttpHeaders = {};
    answer = res => res.end();
    server.removeAllListeners('request');
    server.on('request', (req, res) => {
      headers = req.headers;
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(
        JSON.stringify({
          status: 'success',
          data: {
            resultType: 'matrix',
            result: [
              {
                metric: {},
                values: [
                  [(START + MINUTE) / 1000, 'NaN'],
                  [(START + 2 * MINUTE) / 1000, '+Inf'],
                  [(START + 3 * MINUTE) / 1000, '7'],
                ],
              },
            ],
          },
        }),
      );
    });
    const source = new PrometheusSliSource({
      baseUrl: `${url}/`,
      bearerToken: 's3cret',
      headers: { 'X-Scope-OrgID': 'tenant-1' },
    });
    expect(await source.countEvents(request)).toEqual([
      { end: START + MINUTE, value: undefined },
      { end: START + 2 * MINUTE, value: undefined },
      { end: START + 3 * MINUTE, value: 7 },
    ]);
    expect(headers.authorization).toBe('Bearer s3cret');
    expect(headers['x-scope-orgid']).toBe('tenant-1');
  });

  it('keeps the credentials out of an error that repeats them', async () => {
    server.removeAllListeners('request');
    // An authenticating proxy that names what it was sent when it refuses.
    server.on('request', (req, res) => {
      res.writeHead(401, { 'Content-Type': 'application/json' }).end(
        JSON.stringify({
          status: 'error',
          errorType: 'unauthorized',
          error: `bad credentials ${req.headers.authorization} for ${req.headers['x-api-key']}`,
        }),
      );
    });
    const source = new PrometheusSliSource({
      baseUrl: url,
      bearerToken: 's3cret',
      headers: { 'X-Api-Key': 'key-42' },
    });
    await expect(source.countEvents(request)).rejects.toThrow(
      'Prometheus answered 401: unauthorized: bad credentials Bearer [redacted] for [redacted]',
    );
  });

  it('reports a refused connection', async () => {
    const closed = new PrometheusSliSource({ baseUrl: 'http://127.0.0.1:1' });
    await expect(closed.countEvents(request)).rejects.toThrow(
      // Fetch refuses port 1 outright ("bad port"), like any refused connection.
      'Prometheus query failed: 127.0.0.1:1 could not be reached (bad port)',
    );
    // Credentials in a base URL never reach the message users see.
    const withSecret = new PrometheusSliSource({
      baseUrl: 'http://reader:s3cret@127.0.0.1:1',
    });
    const error = await withSecret.countEvents(request).catch(e => e);
    expect(error.message).toMatch(/^Prometheus query failed/);
    expect(error.message).not.toContain('s3cret');
  });
});
