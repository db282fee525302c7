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
import { refusingPort, startHealthServer } from './__testUtils__/healthServer';

jest.setTimeout(60_000);

const PROBE_TIMEOUT_MS = 300;
const DAY = 24 * 3600_000;
const OWNER = 'group:default/platform-team';

describe('environment health checks', () => {
  const databases = createTestDatabases();
  it('runs on PostgreSQL 15 and SQLite', () => {
    expect(supportedDatabases(databases)).toEqual(TEST_DATABASE_IDS);
  });

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let knex: Knex;
    let health: Awaited<ReturnType<typeof startHealthServer>>;
    let backend: Awaited<ReturnType<typeof startBookingBackend>>['backend'];
    let sent: SentNotification[];
    const scheduler = mockServices.scheduler();
    const runChecks = () => scheduler.triggerTask('environments-health-checks');

    const healthOf = async () => {
      const res = await request(backend.server)
        .get('/api/environments/environments')
        .set('Authorization', as(users.alice));
      expect(res.status).toBe(200);
      return Object.fromEntries(
        res.body.items.map((env: any) => [env.name, env.health]),
      );
    };
    const statuses = async () =>
      Object.fromEntries(
        Object.entries(await healthOf()).map(([name, h]: [string, any]) => [
          name,
          h && [h.status, h.reason],
        ]),
      );
    const historyCounts = async () => {
      const rows: Array<{ environment_ref: string; ok: boolean | number }> =
        await knex('health_checks').select().orderBy('id');
      const counts: Record<string, number> = {};
      for (const row of rows) {
        counts[row.environment_ref] = (counts[row.environment_ref] ?? 0) + 1;
      }
      return counts;
    };
    const notified = () =>
      sent.map(n => [n.recipients.entityRef, n.payload.title]).sort();

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      health = await startHealthServer();
      const refused = await refusingPort();
      const url = (path: string) => ({ 'tem.dev/health-check-url': path });
      ({ backend, sent } = await startBookingBackend({
        knex,
        scheduler,
        entities: [
          testEnvironment('env-up', url(`${health.url}/ok`)),
          testEnvironment('env-flaky', url(`${health.url}/fail`)),
          testEnvironment('env-hang', url(`${health.url}/hang`)),
          testEnvironment(
            'env-refused',
            url(`http://127.0.0.1:${refused}/health`),
          ),
          testEnvironment('env-none'),
        ],
        config: {
          environments: {
            healthChecks: {
              schedule: {
                frequency: { minutes: 1 },
                timeout: { seconds: 30 },
              },
              timeoutMs: PROBE_TIMEOUT_MS,
              retentionDays: 30,
            },
          },
        },
      }));
      // Alice holds env-flaky now: she hears of its changes along with the owner.
      await scheduler.triggerTask('environments-catalog-sync');
      await knex('bookings').insert({
        id: 'b-1',
        environment_ref: 'resource:default/env-flaky',
        requester_ref: users.alice,
        title: 'Release test',
        purpose: 'testing',
        starts_at: new Date(Date.now() - 3600_000),
        ends_at: new Date(Date.now() + 3600_000),
        status: 'approved',
        original_ends_at: new Date(Date.now() + 3600_000),
        extension_count: 0,
        created_at: new Date(),
        updated_at: new Date(),
      });
    });
    afterAll(async () => {
      await backend.stop();
      await health.close();
      await knex.destroy();
    });

    it('is a global task', async () => {
      expect(await scheduler.getScheduledTasks()).toContainEqual(
        expect.objectContaining({
          id: 'environments-health-checks',
          scope: 'global',
        }),
      );
    });

    it('shows unknown before the first probe, and no health without a URL', async () => {
      expect(await statuses()).toEqual({
        'env-up': ['unknown', undefined],
        'env-flaky': ['unknown', undefined],
        'env-hang': ['unknown', undefined],
        'env-refused': ['unknown', undefined],
        'env-none': undefined,
      });
    });

    it('finds one failed probe degraded, with its reason, and tells nobody of the first health', async () => {
      const started = Date.now();
      await runChecks();
      // The hanging endpoint costs one timeout, not the run.
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(await statuses()).toEqual({
        'env-up': ['up', undefined],
        'env-flaky': ['degraded', 'answered 500'],
        'env-hang': ['degraded', `no answer within ${PROBE_TIMEOUT_MS} ms`],
        'env-refused': ['degraded', 'connection refused'],
        'env-none': undefined,
      });
      expect(sent).toEqual([]);
    });

    it('finds two failed probes down and notifies the owner and the holder once', async () => {
      const before = (await healthOf())['env-up'];
      await runChecks();
      const after = await healthOf();
      expect(after['env-flaky']).toMatchObject({
        status: 'down',
        reason: 'answered 500',
      });
      expect(after['env-hang'].status).toBe('down');
      expect(after['env-refused'].status).toBe('down');
      // Still up: checked again, up since the first probe.
      expect(after['env-up'].since).toBe(before.since);
      expect(after['env-up'].checkedAt > before.checkedAt).toBe(true);
      expect(notified()).toEqual(
        [
          [OWNER, 'resource:default/env-flaky is down'],
          [users.alice, 'resource:default/env-flaky is down'],
          [OWNER, 'resource:default/env-hang is down'],
          [OWNER, 'resource:default/env-refused is down'],
        ].sort(),
      );

      sent.length = 0;
      await runChecks();
      expect(sent).toEqual([]);
      expect(await historyCounts()).toEqual({
        'resource:default/env-up': 3,
        'resource:default/env-flaky': 3,
        'resource:default/env-hang': 3,
        'resource:default/env-refused': 3,
      });
    });

    it('notifies the recovery, and shows it on one environment too', async () => {
      health.state.failStatus = 204;
      sent.length = 0;
      await runChecks();
      expect(notified()).toEqual(
        [
          [OWNER, 'resource:default/env-flaky is up'],
          [users.alice, 'resource:default/env-flaky is up'],
        ].sort(),
      );
      const res = await request(backend.server)
        .get('/api/environments/environments/default/env-flaky')
        .set('Authorization', as(users.bob));
      expect(res.status).toBe(200);
      expect(res.body.health).toEqual({
        status: 'up',
        checkedAt: expect.any(String),
        since: res.body.health.checkedAt,
      });
    });

    it('deletes probes older than the retention, and keeps the rest', async () => {
      const old = (days: number) => ({
        environment_ref: 'resource:default/env-up',
        checked_at: new Date(Date.now() - days * DAY),
        ok: true,
      });
      await knex('health_checks').insert([old(31), old(29)]);
      await runChecks();
      const kept: Array<{ checked_at: Date | number }> = await knex(
        'health_checks',
      )
        .select('checked_at')
        .where('environment_ref', 'resource:default/env-up');
      const ages = kept.map(
        row => (Date.now() - new Date(row.checked_at).getTime()) / DAY,
      );
      expect(ages.filter(age => age > 30)).toEqual([]);
      expect(ages.filter(age => age > 28)).toHaveLength(1);
      expect(kept).toHaveLength(4 + 1 + 1);
    });

    it('probes nothing and shows no health when switched off, whatever was stored', async () => {
      const offScheduler = mockServices.scheduler();
      const off = await startBookingBackend({
        knex,
        scheduler: offScheduler,
        entities: [
          testEnvironment('env-up', {
            'tem.dev/health-check-url': `${health.url}/ok`,
          }),
        ],
        config: { environments: { healthChecks: { enabled: false } } },
      });
      try {
        expect(
          (await offScheduler.getScheduledTasks()).map(t => t.id),
        ).not.toContain('environments-health-checks');
        const res = await request(off.server)
          .get('/api/environments/environments/default/env-up')
          .set('Authorization', as(users.alice));
        expect(res.status).toBe(200);
        expect(res.body.healthCheckUrl).toBe(`${health.url}/ok`);
        expect(res.body.health).toBeUndefined();
      } finally {
        await off.backend.stop();
      }
    });
  });
});
