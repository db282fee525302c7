import http from 'node:http';
import { AddressInfo } from 'node:net';
import { probeHealthCheckUrl } from './healthProbe';

/**
 * A health endpoint on 127.0.0.1: `/ok` answers 200, `/fail` 500, `/redirect` 302 elsewhere,
 * `/hang` never answers (until the server closes).
 */
function startHealthServer() {
  const server = http.createServer((req, res) => {
    if (req.url === '/ok') res.writeHead(200).end('ok');
    else if (req.url === '/fail') res.writeHead(500).end('broken');
    else if (req.url === '/redirect')
      res.writeHead(302, { location: 'http://example.com/' }).end();
    // `/hang`: left open.
  });
  return new Promise<{ url: string; close: () => Promise<void> }>(resolve => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () => {
          server.closeAllConnections();
          return new Promise(done => server.close(() => done()));
        },
      });
    });
  });
}

/** A port on 127.0.0.1 that nothing listens on: bound once, then released. */
async function refusingPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise(resolve => server.close(resolve));
  return port;
}

describe('probeHealthCheckUrl', () => {
  let health: { url: string; close: () => Promise<void> };
  beforeAll(async () => {
    health = await startHealthServer();
  });
  afterAll(async () => {
    await health.close();
  });

  it('is ok on a 2xx answer, with its status and latency', async () => {
    const outcome = await probeHealthCheckUrl(`${health.url}/ok`, 2000);
    expect(outcome).toEqual({
      ok: true,
      httpStatus: 200,
      latencyMs: expect.any(Number),
      reason: undefined,
    });
    expect(outcome.latencyMs).toBeLessThan(2000);
  });

  it('fails on any other answer, naming the status; redirects are not followed', async () => {
    expect(await probeHealthCheckUrl(`${health.url}/fail`, 2000)).toMatchObject(
      { ok: false, httpStatus: 500, reason: 'answered 500' },
    );
    expect(
      await probeHealthCheckUrl(`${health.url}/redirect`, 2000),
    ).toMatchObject({ ok: false, httpStatus: 302, reason: 'answered 302' });
  });

  it('fails when there is no answer within the timeout, and gives up then', async () => {
    const started = Date.now();
    expect(await probeHealthCheckUrl(`${health.url}/hang`, 300)).toEqual({
      ok: false,
      reason: 'no answer within 300 ms',
    });
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(2000);
  });

  it('fails when the connection is refused', async () => {
    const port = await refusingPort();
    expect(
      await probeHealthCheckUrl(`http://127.0.0.1:${port}/health`, 2000),
    ).toEqual({ ok: false, reason: 'connection refused' });
  });
});
