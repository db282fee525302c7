import { Knex } from 'knex';
import request from 'supertest';
import {
  createTestDatabases,
  supportedDatabases,
  TEST_DATABASE_IDS,
} from './__testUtils__/databases';
import {
  as,
  startBookingBackend,
  testEnvironment,
  users,
} from './__testUtils__/bookingBackend';
import { bookingInvariantViolations } from './__testUtils__/invariants';

jest.setTimeout(180_000);

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const RACERS = 100;
const iso = (ms: number) => new Date(ms).toISOString();

const entities = [
  testEnvironment('solo'),
  testEnvironment('trio', { 'tem.dev/capacity': '3' }),
  testEnvironment('stretch'),
  testEnvironment('gated', { 'tem.dev/tier': 'staging' }),
];
const racers = Array.from(
  { length: RACERS },
  (_, i) => `user:default/racer-${i}`,
);

/** Counts of each status among HTTP answers, e.g. `{ 201: 1, 409: 99 }`. */
function tally(statuses: number[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

/**
 * Races over HTTP: many requests for the same thing at once must leave exactly as many winners as
 * the rules allow, and the table must hold no overlap afterwards, on both databases.
 */
describe('concurrent bookings', () => {
  const databases = createTestDatabases();

  it('runs on PostgreSQL 15 and SQLite', () => {
    expect(supportedDatabases(databases)).toEqual(TEST_DATABASE_IDS);
  });

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let knex: Knex;
    let server: Awaited<ReturnType<typeof startBookingBackend>>['server'];
    let stop: () => Promise<void>;
    const base = Date.now() + 2 * DAY;
    const post = (user: string, path: string, body: object = {}) =>
      request(server)
        .post(`/api/environments${path}`)
        .set('Authorization', as(user))
        .send(body);
    const book = (user: string, env: string, start: number, end: number) =>
      post(user, '/bookings', {
        environmentRef: `resource:default/${env}`,
        start: iso(start),
        end: iso(end),
        title: 'Race',
        purpose: 'testing',
      });

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      const started = await startBookingBackend({
        knex,
        entities,
        config: {
          environments: {
            bookingPolicies: {
              tiers: [{ tier: 'staging', requiresApproval: true }],
            },
          },
        },
      });
      server = started.server;
      stop = () => started.backend.stop();
    });
    afterAll(async () => {
      await stop();
      await knex.destroy();
    });

    it.each([
      ['solo', 1],
      ['trio', 3],
    ])(
      `lets exactly capacity-many of ${RACERS} concurrent creates win (%s, capacity %d)`,
      async (env, capacity) => {
        const start = base + DAY;
        const answers = await Promise.all(
          racers.map(u => book(u, env, start, start + HOUR)),
        );

        expect(tally(answers.map(a => a.status))).toEqual({
          201: capacity,
          409: RACERS - capacity,
        });
        // Every loser is told why.
        for (const refused of answers.filter(a => a.status === 409)) {
          expect(refused.body.error.message).toMatch(/resource:default\//);
        }
        const stored = await knex('bookings')
          .where({
            environment_ref: `resource:default/${env}`,
            status: 'approved',
          })
          .count({ n: '*' });
        expect(Number(stored[0].n)).toBe(capacity);
      },
    );

    it('lets either the extension or one create win the time after a booking', async () => {
      const start = base + 2 * DAY;
      const held = await book(users.alice, 'stretch', start, start + HOUR);
      expect(held.status).toBe(201);

      // The extension asks for the hour after the booking that 99 others ask for at once.
      const [extension, ...creates] = await Promise.all([
        post(users.alice, `/bookings/${held.body.id}/extend`, {
          end: iso(start + 2 * HOUR),
        }),
        ...racers
          .slice(1)
          .map(u => book(u, 'stretch', start + HOUR, start + 2 * HOUR)),
      ]);

      const winners =
        (extension.status === 200 ? 1 : 0) +
        creates.filter(c => c.status === 201).length;
      expect(winners).toBe(1);
      expect([200, 409]).toContain(extension.status);
      expect(creates.every(c => c.status === 201 || c.status === 409)).toBe(
        true,
      );
    });

    it('settles an approval racing a cancellation the same way every time', async () => {
      const outcomes = { approvedFirst: 0, cancelledFirst: 0 };
      for (let round = 0; round < 20; round++) {
        const start = base + (3 + round) * DAY;
        const pending = await book(users.alice, 'gated', start, start + HOUR);
        expect(pending.body.status).toBe('pending');

        const [approve, cancel] = await Promise.all([
          post(users.dave, `/bookings/${pending.body.id}/approve`),
          post(users.alice, `/bookings/${pending.body.id}/cancel`),
        ]);

        // The requester may always withdraw: the cancellation wins whichever came first, and an
        // approval that comes second is refused with the reason.
        expect(cancel.status).toBe(200);
        const stored = await knex('bookings')
          .where('id', pending.body.id)
          .first();
        expect(stored.status).toBe('cancelled');
        const approvedFirst = approve.status === 200;
        expect(
          approvedFirst ||
            (approve.status === 409 &&
              /cancelled/.test(approve.body.error.message)),
        ).toBe(true);
        outcomes[approvedFirst ? 'approvedFirst' : 'cancelledFirst']++;
      }
      expect(outcomes.approvedFirst + outcomes.cancelledFirst).toBe(20);
    });

    it('leaves no environment or component slot over capacity after all the races', async () => {
      expect(await bookingInvariantViolations(knex)).toEqual([]);

      // The check itself finds an overlap written past the service.
      const winner = await knex('bookings')
        .where({ environment_ref: 'resource:default/solo', status: 'approved' })
        .first();
      await knex('bookings').insert({ ...winner, id: 'forged-overlap' });
      expect(await bookingInvariantViolations(knex)).toEqual([
        expect.stringMatching(/^resource:default\/solo holds more than 1 from/),
      ]);
      await knex('bookings').where('id', 'forged-overlap').delete();
    });

    it(`approves exactly one of ${RACERS} conflicting requests approved at once`, async () => {
      const start = base + 30 * DAY;
      const requests = await Promise.all(
        racers.map(u => book(u, 'gated', start, start + HOUR)),
      );
      // Pending requests do not hold the environment, so all of them are queued.
      expect(requests.every(r => r.body.status === 'pending')).toBe(true);

      const decisions = await Promise.all(
        requests.map(r => post(users.dave, `/bookings/${r.body.id}/approve`)),
      );

      expect(tally(decisions.map(d => d.status))).toEqual({
        200: 1,
        409: RACERS - 1,
      });
    });
  });
});
