import { refusingPort, startHealthServer } from '../__testUtils__/healthServer';
import { probeHealthCheckUrl } from './healthProbe';

describe('probeHealthCheckUrl', () => {
  let health: Awaited<ReturnType<typeof startHealthServer>>;
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
