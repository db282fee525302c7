import { Knex } from 'knex';
import request from 'supertest';
import { createTestDatabases } from './__testUtils__/databases';
import {
  as,
  startBookingBackend,
  testEnvironment,
  users,
} from './__testUtils__/bookingBackend';
import { bookingInvariantViolations } from './__testUtils__/invariants';

const DURATION_S = 60;
const RATE_PER_S = 20;
const HOUR = 3600_000;
const ENVIRONMENTS = ['load-1', 'load-2', 'load-3', 'load-4', 'load-5'];
/** Few enough slots that creates collide often: 5 environments x 40 hours. */
const SLOT_HOURS = 40;

jest.setTimeout((DURATION_S + 120) * 1000);

/** A deterministic pseudo-random sequence, so a failing run can be repeated. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

/**
 * An open-loop mixed load over HTTP on PostgreSQL: requests leave at a fixed rate whatever the
 * answers, so slow answers pile up as they would with real users. The client keeps a log of
 * what it was told, and the table must agree with it exactly afterwards.
 */
describe('a mixed load for a minute on PostgreSQL', () => {
  const databases = createTestDatabases();
  let knex: Knex;
  let server: Awaited<ReturnType<typeof startBookingBackend>>['server'];
  let stop: () => Promise<void>;

  beforeAll(async () => {
    knex = await databases.init('POSTGRES_15');
    const started = await startBookingBackend({
      knex,
      entities: ENVIRONMENTS.map(name => testEnvironment(name)),
    });
    server = started.server;
    stop = () => started.backend.stop();
  });
  afterAll(async () => {
    await stop?.();
    await knex?.destroy();
  });

  it(`keeps ${RATE_PER_S} requests a second for ${DURATION_S} s without an unexpected answer or a lost booking`, async () => {
    const next = random(42);
    const base = Math.ceil(Date.now() / HOUR) * HOUR + 24 * HOUR;
    const created: string[] = [];
    const cancelled = new Set<string>();
    const unexpected: string[] = [];
    const counts: Record<string, number> = {};
    const count = (key: string) => (counts[key] = (counts[key] ?? 0) + 1);
    const post = (path: string, body: object) =>
      request(server)
        .post(`/api/environments${path}`)
        .set('Authorization', as(users.alice))
        .send(body);
    const get = (path: string) =>
      request(server)
        .get(`/api/environments${path}`)
        .set('Authorization', as(users.alice));

    const oneRequest = async () => {
      const dice = next();
      const env = ENVIRONMENTS[Math.floor(next() * ENVIRONMENTS.length)];
      const envRef = `resource:default/${env}`;
      if (dice < 0.5) {
        const reads = [
          `/bookings?environmentRef=${envRef}`,
          '/environments',
          `/availability?durationHours=1&from=${new Date(base).toISOString()}`,
        ];
        const res = await get(reads[Math.floor(next() * reads.length)]);
        count(`read ${res.status}`);
        if (res.status !== 200) unexpected.push(`read ${res.status}`);
      } else if (dice < 0.85 || created.length === cancelled.size) {
        const start = base + Math.floor(next() * SLOT_HOURS) * HOUR;
        const res = await post('/bookings', {
          environmentRef: envRef,
          start: new Date(start).toISOString(),
          end: new Date(start + HOUR).toISOString(),
          title: 'Load',
          purpose: 'testing',
        });
        count(`create ${res.status}`);
        if (res.status === 201) created.push(res.body.id);
        else if (res.status !== 409) {
          unexpected.push(`create ${res.status} ${res.text}`);
        }
      } else {
        const open = created.filter(id => !cancelled.has(id));
        const id = open[Math.floor(next() * open.length)];
        // Claimed before the answer, so no other request of this load cancels it too.
        cancelled.add(id);
        const res = await post(`/bookings/${id}/cancel`, {});
        count(`cancel ${res.status}`);
        if (res.status !== 200) {
          cancelled.delete(id);
          unexpected.push(`cancel ${res.status} ${res.text}`);
        }
      }
    };

    const total = DURATION_S * RATE_PER_S;
    const started = Date.now();
    const inFlight: Promise<void>[] = [];
    for (let i = 0; i < total; i++) {
      const due = started + (i * 1000) / RATE_PER_S;
      const wait = due - Date.now();
      if (wait > 0) await new Promise(r => setTimeout(r, wait));
      inFlight.push(
        oneRequest().catch(error => {
          unexpected.push(`transport ${error}`);
        }),
      );
    }
    await Promise.all(inFlight);
    // The figures of the run, for the CI log.
    console.log(
      `mixed load: ${total} requests in ${
        (Date.now() - started) / 1000
      } s, ${JSON.stringify(counts)}, ${created.length} bookings made, ${
        cancelled.size
      } cancelled`,
    );

    expect(unexpected).toEqual([]);
    expect(Object.values(counts).reduce((sum, n) => sum + n, 0)).toBe(total);
    // Conflicts did happen: the load is not trivially free of them.
    expect(counts['create 409']).toBeGreaterThan(0);
    expect(counts['cancel 200']).toBeGreaterThan(0);

    // The table agrees with the client's log: every booking it was given, once, in the state
    // it was told, and nothing else.
    const rows: Array<{ id: string; status: string }> = await knex('bookings')
      .whereIn(
        'environment_ref',
        ENVIRONMENTS.map(name => `resource:default/${name}`),
      )
      .select('id', 'status');
    expect(rows.map(r => r.id).sort()).toEqual([...created].sort());
    for (const row of rows) {
      expect(row.status).toBe(cancelled.has(row.id) ? 'cancelled' : 'approved');
    }
    expect(await bookingInvariantViolations(knex)).toEqual([]);
  });
});
