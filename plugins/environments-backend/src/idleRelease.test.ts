import { mockServices } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import request from 'supertest';
import {
  createTestDatabases,
  supportedDatabases,
  TEST_DATABASE_IDS,
} from './__testUtils__/databases';
import {
  as,
  SentNotification,
  startBookingBackend,
  testEnvironment,
  users,
} from './__testUtils__/bookingBackend';

jest.setTimeout(60_000);

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** The fixed clock's start: bookings run from here; times below are hours after it. */
const T0 = Date.parse('2026-11-27T08:00:00.000Z');
const at = (hours: number) => new Date(T0 + hours * HOUR);

describe('idle release in the booking lifecycle task', () => {
  const databases = createTestDatabases();
  it('runs on PostgreSQL 15 and SQLite', () => {
    expect(supportedDatabases(databases)).toEqual(TEST_DATABASE_IDS);
  });

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let knex: Knex;
    let backend: Awaited<ReturnType<typeof startBookingBackend>>['backend'];
    let sent: SentNotification[];
    const scheduler = mockServices.scheduler();

    /** Sets the clock to `hours` after T0 and runs the lifecycle task once. */
    const runAt = async (hours: number) => {
      jest.setSystemTime(at(hours));
      await scheduler.triggerTask('environments-booking-lifecycle');
    };
    const booking = async (id: string) => {
      const res = await request(backend.server)
        .get(`/api/environments/bookings/${id}`)
        .set('Authorization', as(users.alice));
      expect(res.status).toBe(200);
      return res.body;
    };
    const keep = (id: string, user: string) =>
      request(backend.server)
        .post(`/api/environments/bookings/${id}/keep`)
        .set('Authorization', as(user));
    const notified = () =>
      sent.splice(0).map(n => [n.recipients.entityRef, n.payload.title]);
    const deploy = (id: string, environment: string, hours: number) =>
      knex('deployments').insert({
        id,
        provider: 'github',
        external_id: id,
        entity_ref: 'component:default/payments-api',
        environment_name: environment,
        environment_ref: `resource:default/${environment}`,
        status: 'succeeded',
        deployed_at: at(hours),
        synced_at: at(hours),
      });

    beforeAll(async () => {
      // Only Date is fixed: the database drivers' timers run as usual.
      jest.useFakeTimers({
        doNotFake: [
          'hrtime',
          'nextTick',
          'performance',
          'queueMicrotask',
          'requestAnimationFrame',
          'cancelAnimationFrame',
          'requestIdleCallback',
          'cancelIdleCallback',
          'setImmediate',
          'clearImmediate',
          'setInterval',
          'clearInterval',
          'setTimeout',
          'clearTimeout',
        ],
        now: at(0),
      });
      knex = await databases.init(databaseId);
      ({ backend, sent } = await startBookingBackend({
        knex,
        scheduler,
        entities: [
          testEnvironment('idle-env', { 'tem.dev/capacity': '2' }),
          testEnvironment('busy-env'),
          testEnvironment('plain-env', { 'tem.dev/tier': 'dev' }),
        ],
        config: {
          environments: {
            // Test environments are released after 2 idle hours; dev ones never.
            bookingPolicies: {
              tiers: [{ tier: 'test', idleReleaseHours: 2 }],
            },
            idleRelease: { graceMinutes: 30 },
          },
        },
      }));
      await scheduler.triggerTask('environments-catalog-sync');
      const row = (id: string, environment: string, requester: string) => ({
        id,
        environment_ref: `resource:default/${environment}`,
        requester_ref: requester,
        title: id,
        purpose: 'testing',
        starts_at: at(0),
        ends_at: at(8),
        status: 'approved',
        original_ends_at: at(8),
        extension_count: 0,
        created_at: at(-1),
        updated_at: at(-1),
      });
      await knex('bookings').insert([
        row('b-idle', 'idle-env', users.alice),
        row('b-kept', 'idle-env', users.carol),
        row('b-busy', 'busy-env', users.bob),
        row('b-plain', 'plain-env', users.dave),
      ]);
      // Deployed to busy-env 1.5 h in: its booking is idle from then, due an offer at 3.5 h.
      await deploy('d-1', 'busy-env', 1.5);
    });
    afterAll(async () => {
      await backend.stop();
      await knex.destroy();
      jest.useRealTimers();
    });

    it('offers idle bookings for release, releases unanswered ones after the grace, and restarts the clock of kept ones', async () => {
      // 1 h 59 min in: nothing is idle for 2 h yet.
      await runAt(2 - 1 / 60);
      expect(notified()).toEqual([]);

      // 2 h: both idle-env bookings are offered; busy-env had a deployment, plain-env no policy.
      await runAt(2);
      expect(notified()).toEqual([
        [
          users.alice,
          expect.stringMatching(/idle-env looks idle: release or keep it/),
        ],
        [
          users.carol,
          expect.stringMatching(/idle-env looks idle: release or keep it/),
        ],
      ]);
      expect(await booking('b-idle')).toMatchObject({
        status: 'approved',
        idleOfferedAt: at(2).toISOString(),
      });

      // 2 h 15 min: Carol keeps hers; Bob, not its holder, may not.
      jest.setSystemTime(at(2.25));
      expect((await keep('b-kept', users.bob)).status).toBe(403);
      const kept = await keep('b-kept', users.carol);
      expect(kept.status).toBe(200);
      expect(kept.body.idleOfferedAt).toBeUndefined();

      // 2 h 30 min: Alice's offer went unanswered for 30 min: released, told, audited.
      await runAt(2.5);
      expect(notified()).toEqual([
        [
          users.alice,
          'Your booking of resource:default/idle-env was released as idle',
        ],
      ]);
      expect(await booking('b-idle')).toMatchObject({
        status: 'released',
        end: at(2.5).toISOString(),
        releaseReason: 'idle',
      });
      expect(await booking('b-kept')).toMatchObject({ status: 'approved' });
      const audit = await knex('audit_events')
        .select('action', 'actor_ref', 'subject_id')
        .whereIn('action', ['booking-idle-release', 'booking-keep'])
        .orderBy('action');
      expect(audit).toEqual([
        {
          action: 'booking-idle-release',
          actor_ref: 'plugin:environments',
          subject_id: 'b-idle',
        },
        {
          action: 'booking-keep',
          actor_ref: users.carol,
          subject_id: 'b-kept',
        },
      ]);
      // A released booking can no longer be kept.
      expect((await keep('b-idle', users.alice)).status).toBe(409);

      // 3 h 30 min: busy-env's booking is idle 2 h after its deployment.
      await runAt(3.5);
      expect(notified()).toEqual([[users.bob, expect.any(String)]]);

      // A deployment to busy-env at 3 h 45 min withdraws Bob's offer at the next run (4 h 15 min,
      // already past its grace): his booking stays. Carol's kept booking is idle 2 h after she
      // kept it: offered again.
      await deploy('d-2', 'busy-env', 3.75);
      await runAt(4.25);
      expect(notified()).toEqual([[users.carol, expect.any(String)]]);
      expect(await booking('b-busy')).toMatchObject({ status: 'approved' });
      expect((await booking('b-busy')).idleOfferedAt).toBeUndefined();

      // The dev environment has no idle-release policy: never offered.
      expect((await booking('b-plain')).idleOfferedAt).toBeUndefined();
    });
  });
});
