import {
  postgresDatabase,
  RunningBackend,
  RunningPostgres,
  startBackend,
  startPostgres,
} from './processes';

jest.setTimeout(300_000);

const ENVIRONMENT = 'resource:default/checkout-qa-1';
const ENVIRONMENT_PATH = 'default/checkout-qa-1';
/** How long a request may take while the database is away: well below any client's patience. */
const OUTAGE_ANSWER_MS = 15_000;

/**
 * The real backend on a PostgreSQL server of the test's own, which is stopped and started again
 * while the backend keeps running.
 */
describe('the backend while PostgreSQL restarts', () => {
  let postgres: RunningPostgres;
  let backend: RunningBackend;
  let token: string;

  const call = (method: string, route: string, body?: object) =>
    backend.environmentsApi(token, method, route, body);
  const booking = (hoursAhead: number) => {
    const start = Date.now() + hoursAhead * 3600_000;
    return {
      environmentRef: ENVIRONMENT,
      start: new Date(start).toISOString(),
      end: new Date(start + 3600_000).toISOString(),
      title: 'Outage test',
      purpose: 'testing',
    };
  };

  beforeAll(async () => {
    postgres = await startPostgres();
    backend = await startBackend({
      backend: { database: postgresDatabase(postgres.port, 'tem_outage_') },
    });
    token = await backend.token();
    await backend.environmentReady(ENVIRONMENT_PATH, token);
  });
  afterAll(async () => {
    require('fs').writeFileSync(
      '/tmp/outage-backend.log',
      backend.logLines.join('\n'),
    );
    await backend?.stop();
    postgres?.remove();
  });

  it('answers 503 in bounded time during the outage and recovers without a restart', async () => {
    const before = await call('POST', '/bookings', booking(24));
    expect(before.status).toBe(201);

    postgres.stop();
    const duringOutage = await Promise.all([
      call('GET', '/bookings'),
      call('GET', `/bookings/${before.body.id}`),
      call('POST', '/bookings', booking(48)),
      call('POST', `/bookings/${before.body.id}/cancel`),
    ]);
    for (const answer of duringOutage) {
      expect(answer).toMatchObject({
        status: 503,
        body: { error: { name: 'ServiceUnavailableError' } },
      });
      expect(answer.ms).toBeLessThan(OUTAGE_ANSWER_MS);
    }

    postgres.start();
    // The pool drops its dead connections and opens new ones; no restart of the backend.
    let after = await call('POST', '/bookings', booking(48));
    for (let attempt = 0; after.status === 503 && attempt < 30; attempt++) {
      await new Promise(r => setTimeout(r, 1000));
      after = await call('POST', '/bookings', booking(48));
    }
    expect(after.status).toBe(201);
    // The figures of the run, for the CI log.
    console.log(
      `database outage: answers during it ${duringOutage
        .map(a => `${a.status} in ${a.ms} ms`)
        .join(', ')}; first booking after the restart ${after.status}`,
    );

    // Nothing was lost, and nothing written during the outage half-applied.
    const kept = await call('GET', `/bookings/${before.body.id}`);
    expect(kept.body).toMatchObject({ id: before.body.id, status: 'approved' });
    const listed = await call(
      'GET',
      `/bookings?environmentRef=${encodeURIComponent(ENVIRONMENT)}`,
    );
    expect(listed.body.items.map((b: { id: string }) => b.id).sort()).toEqual(
      [before.body.id, after.body.id].sort(),
    );
  });
});
