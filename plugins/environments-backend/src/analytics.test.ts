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
import { mockServices } from '@backstage/backend-test-utils';

jest.setTimeout(60_000);

const HOUR = 3600_000;
const DAY = 24 * HOUR;
/** 1 November 2026, `hours` after midnight UTC: a day well before the tests run. */
const h = (hours: number) => new Date(Date.UTC(2026, 10, 1) + hours * HOUR);
const iso = (date: Date) => date.toISOString();

describe('usage analytics over HTTP', () => {
  const databases = createTestDatabases();
  it('runs on PostgreSQL 15 and SQLite', () => {
    expect(supportedDatabases(databases)).toEqual(TEST_DATABASE_IDS);
  });

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let knex: Knex;
    let backend: Awaited<ReturnType<typeof startBookingBackend>>['backend'];
    const scheduler = mockServices.scheduler();
    const get = (url: string, user = users.alice) =>
      request(backend.server)
        .get(`/api/environments${url}`)
        .set('Authorization', as(user));
    const book = (user: string, start: number, hours: number) =>
      request(backend.server)
        .post('/api/environments/bookings')
        .set('Authorization', as(user))
        .send({
          environmentRef: 'resource:default/qa-1',
          title: 'Analytics',
          purpose: 'testing',
          start: iso(new Date(start)),
          end: iso(new Date(start + hours * HOUR)),
        });

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      ({ backend } = await startBookingBackend({
        knex,
        scheduler,
        entities: [
          testEnvironment('qa-1'),
          testEnvironment('qa-2', { 'tem.dev/capacity': '2' }),
          testEnvironment('prod', { 'tem.dev/tier': 'prod' }),
        ],
        config: {
          environments: {
            bookingPolicies: {
              tiers: [{ tier: 'test', maxDurationHours: 4 }],
            },
            // Probes speak for 1 h; deployments make an environment active for 2 h.
            healthChecks: { enabled: false, staleAfterMinutes: 60 },
            analytics: { activityWindowHours: 2 },
          },
        },
      }));
      await scheduler.triggerTask('environments-catalog-sync');
      // Known since before the day measured.
      await knex('environments').update({ first_seen_at: h(-24) });
    });
    afterAll(async () => {
      await backend.stop();
      await knex.destroy();
    });

    it('measures a past day from the stored probes, bookings, blackouts, status changes and deployments', async () => {
      // qa-1 on 1 November: probes every hour from 0 to 11 h, the one at 5 h failed: observed
      // 12 h, up 11 h. A maintenance window [10, 14) h: observed [0, 14) = 14 h, up outside
      // maintenance [0, 5) + [6, 10) = 9 h: availability 9 / 14.
      await knex('health_checks').insert(
        Array.from({ length: 12 }, (_, hour) => ({
          environment_ref: 'resource:default/qa-1',
          checked_at: h(hour),
          ok: hour !== 5,
          http_status: hour === 5 ? 503 : 200,
        })),
      );
      await knex('blackouts').insert({
        id: 'x-1',
        scope: 'environment',
        scope_key: 'resource:default/qa-1',
        kind: 'maintenance',
        title: 'Upgrade',
        starts_at: h(10),
        ends_at: h(14),
        created_by_ref: users.admin,
        created_at: h(-48),
      });
      // Bookable 24 - 4 = 20 h. Booked [0, 6) approved then released at 6 h, and [12, 18)
      // expired: [14, 18) is bookable, 6 + 4 = 10 h: usage 10 / 20. A deployment at 1 h makes
      // [1, 3) active: idle 10 - 2 = 8 h. The first booking waited 3 h for its approval.
      const booking = (
        id: string,
        from: number,
        to: number,
        status: string,
        decidedAt?: Date,
      ) => ({
        id,
        environment_ref: 'resource:default/qa-1',
        requester_ref: users.alice,
        title: id,
        purpose: 'testing',
        starts_at: h(from),
        ends_at: h(to),
        status,
        original_ends_at: h(to),
        extension_count: 0,
        created_at: h(-3),
        updated_at: h(to),
        decided_at: decidedAt ?? null,
        decided_by_ref: decidedAt ? users.dave : null,
      });
      await knex('bookings').insert([
        booking('past-1', 0, 6, 'released', h(0)),
        booking('past-2', 12, 18, 'expired'),
        // Never held: cancelled and rejected bookings count for nothing.
        booking('past-3', 18, 20, 'cancelled'),
        booking('past-4', 20, 22, 'rejected', h(1)),
      ]);
      await knex('deployments').insert({
        id: 'd-1',
        provider: 'github',
        external_id: '1',
        entity_ref: 'component:default/payments-api',
        environment_name: 'qa-1',
        environment_ref: 'resource:default/qa-1',
        status: 'succeeded',
        deployed_at: h(1),
        synced_at: h(1),
      });

      // An administrator put qa-2 into maintenance at 12 h and back at 18 h (the audit log).
      for (const [hour, from, to] of [
        [12, 'available', 'maintenance'],
        [18, 'maintenance', 'available'],
      ]) {
        await knex('audit_events').insert({
          id: `status-${hour}`,
          at: h(Number(hour)),
          actor_ref: users.admin,
          action: 'environment-update',
          subject_type: 'environment',
          subject_id: 'resource:default/qa-2',
          environment_ref: 'resource:default/qa-2',
          admin_override: true,
          before: JSON.stringify({ status: from }),
          after: JSON.stringify({ status: to }),
        });
      }

      const res = await get(
        `/analytics/usage?from=${iso(h(0))}&to=${iso(h(24))}&tier=TEST`,
      );
      expect(res.status).toBe(200);
      const qa1 = res.body.environments.find(
        (e: any) => e.entityRef === 'resource:default/qa-1',
      );
      expect(qa1).toMatchObject({
        upHours: 9,
        observedHours: 14,
        availability: 9 / 14,
        bookedSlotHours: 10,
        bookableSlotHours: 20,
        usage: 0.5,
        idleBookedHours: 8,
        activityWindowHours: 2,
        approvals: 1,
        meanApprovalLeadHours: 3,
      });
      // qa-2, never booked or probed: in maintenance 6 h (observed, not up), so 2 places ×
      // 18 h bookable. Tier: (9 + 0) / (14 + 6) available, 10 / (20 + 36) used.
      expect(
        res.body.environments.find(
          (e: any) => e.entityRef === 'resource:default/qa-2',
        ),
      ).toMatchObject({
        upHours: 0,
        observedHours: 6,
        availability: 0,
        bookableSlotHours: 36,
      });
      expect(res.body.tiers).toEqual([
        expect.objectContaining({
          tier: 'test',
          environments: 2,
          availability: 9 / 20,
          bookedSlotHours: 10,
          bookableSlotHours: 56,
          usage: 10 / 56,
        }),
      ]);
      expect(res.body.daily).toHaveLength(1);

      const csv = await get(
        `/analytics/usage.csv?from=${iso(h(0))}&to=${iso(
          h(24),
        )}&environmentRef=resource:default/qa-1`,
      );
      expect(csv.status).toBe(200);
      expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(csv.headers['content-disposition']).toContain(
        'environment-usage-2026-11-01-2026-11-02.csv',
      );
      const lines = csv.text.split('\r\n');
      expect(lines[0]).toBe(
        'scope,key,tier,availability_percent,up_hours,observed_hours,usage_percent,booked_slot_hours,bookable_slot_hours,idle_booked_hours,approvals,mean_approval_lead_hours,refused_conflict,refused_policy,refused_blackout,refused_status',
      );
      expect(lines[1]).toBe(
        'environment,resource:default/qa-1,test,64.29,9,14,50,10,20,8,1,3,0,0,0,0',
      );
      expect(lines.map(line => line.split(',')[0])).toEqual([
        'scope',
        'environment',
        'tier',
        'day',
        'total',
        '',
      ]);
    });

    it('counts refused requests by reason, and still answers 409 when they cannot be recorded', async () => {
      const start = Date.now() + 2 * DAY;
      expect((await book(users.alice, start, 1)).status).toBe(201);
      expect((await book(users.bob, start, 1)).status).toBe(409);
      // Longer than the tier's 4 h.
      expect((await book(users.bob, start + DAY, 5)).status).toBe(400);
      const closed = await request(backend.server)
        .post('/api/environments/blackouts')
        .set('Authorization', as(users.admin))
        .send({
          scope: 'environment',
          scopeKey: 'resource:default/qa-1',
          kind: 'blackout',
          title: 'Freeze',
          start: iso(new Date(start + 3 * DAY)),
          end: iso(new Date(start + 4 * DAY)),
        });
      expect(closed.status).toBe(201);
      expect((await book(users.bob, start + 3 * DAY, 1)).status).toBe(409);

      const usage = await get(
        `/analytics/usage?environmentRef=resource:default/qa-1&to=${iso(
          new Date(Date.now() + HOUR),
        )}`,
      );
      expect(usage.status).toBe(200);
      expect(usage.body.environments[0].refusals).toEqual({
        conflict: 1,
        policy: 1,
        blackout: 1,
        status: 0,
      });

      // Without the refusals table the refusal is not recorded, and still answered as one.
      await knex.schema.renameTable('booking_refusals', 'refusals_away');
      try {
        expect((await book(users.bob, start, 1)).status).toBe(409);
      } finally {
        await knex.schema.renameTable('refusals_away', 'booking_refusals');
      }
    });

    it('refuses a bad period with 400 and the reason, and an unknown environment with 404', async () => {
      const from = h(0);
      for (const to of [from, h(-1), new Date(from.getTime() + 367 * DAY)]) {
        const res = await get(
          `/analytics/usage?from=${iso(from)}&to=${iso(to)}`,
        );
        expect(res.status).toBe(400);
        expect(res.body.error.message).toBe(
          'to must be after from, at most 366 days later',
        );
      }
      const unknown = await get(
        '/analytics/usage?environmentRef=resource:default/nowhere',
      );
      expect(unknown.status).toBe(404);
      const malformed = await get('/analytics/usage.csv?from=yesterday');
      expect(malformed.status).toBe(400);
      expect(malformed.body.error.message).toMatch(/from/);
    });
  });
});
