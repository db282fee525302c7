import { Entity } from '@backstage/catalog-model';
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
  testEnvironment as environment,
  users,
} from './__testUtils__/bookingBackend';

jest.setTimeout(120_000);

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();

const { alice, bob, carol, admin } = users;
const PAYMENTS = 'group:default/payments-team';
const SEARCH = 'group:default/search-team';

const catalogEntry = (kind: 'User' | 'Group', name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name, namespace: 'default' },
  spec: kind === 'Group' ? { type: 'team', children: [] } : {},
});

const entities = [
  environment('adm-release'),
  environment('adm-reassign'),
  environment('adm-approval', { 'tem.dev/tier': 'approval' }),
  environment('adm-weekly'),
  environment('adm-moved'),
  environment('adm-audit'),
  catalogEntry('User', 'bob'),
  catalogEntry('User', 'carol'),
  catalogEntry('Group', 'payments-team'),
  catalogEntry('Group', 'search-team'),
];

describe('administration API', () => {
  const databases = createTestDatabases();

  it('runs on PostgreSQL 15 and SQLite', () => {
    expect(supportedDatabases(databases)).toEqual(TEST_DATABASE_IDS);
  });

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let knex: Knex;
    let backend: Awaited<ReturnType<typeof startBookingBackend>>['backend'];
    let sent: SentNotification[];
    const api = (
      method: 'get' | 'post' | 'put' | 'delete',
      path: string,
      user: string,
      body?: object,
    ) => {
      const req = request(backend.server)
        [method](`/api/environments${path}`)
        .set('Authorization', as(user));
      return body ? req.send(body) : req;
    };
    const book = async (
      name: string,
      start: number,
      end: number,
      extra: object = {},
    ) => {
      const res = await api('post', '/bookings', alice, {
        environmentRef: `resource:default/${name}`,
        title: 'Release test',
        purpose: 'testing',
        teamRef: PAYMENTS,
        start: iso(start),
        end: iso(end),
        ...extra,
      });
      expect(res.status).toBe(201);
      return res.body;
    };
    /** The audit table's rows about one subject, oldest first. */
    const auditRows = (subjectId: string) =>
      knex('audit_events').where('subject_id', subjectId).orderBy('at');
    const recipients = () => sent.map(n => n.recipients.entityRef);

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      ({ backend, sent } = await startBookingBackend({
        knex,
        entities,
        config: {
          environments: {
            bookingPolicies: {
              tiers: [{ tier: 'approval', requiresApproval: true }],
            },
          },
        },
      }));
    });
    afterAll(async () => {
      await backend.stop();
      await knex.destroy();
    });
    beforeEach(() => {
      sent.length = 0;
    });

    it('force-releases a running booking and cancels an upcoming one, for admins only, with a reason', async () => {
      const now = Date.now();
      const running = await book('adm-release', now - MINUTE, now + HOUR);
      const upcoming = await book('adm-release', now + DAY, now + DAY + HOUR);
      const path = (id: string) => `/bookings/${id}/force-release`;

      // Even the requester needs the admin permission to force a release.
      const refused = await api('post', path(running.id), alice, {
        reason: 'mine',
      });
      expect(refused.status).toBe(403);
      expect(refused.body.error.message).toMatch(/not allowed/);
      for (const body of [{}, { reason: '   ' }]) {
        const invalid = await api('post', path(running.id), admin, body);
        expect(invalid.status).toBe(400);
        expect(invalid.body.error.message).toMatch(/reason/);
      }
      expect(
        (await api('post', path('no-such-booking'), admin, { reason: 'x' }))
          .status,
      ).toBe(404);

      const released = await api('post', path(running.id), admin, {
        reason: 'Needed for the incident',
      });
      expect(released.status).toBe(200);
      expect(released.body.status).toBe('released');
      expect(Date.parse(released.body.end)).toBeLessThanOrEqual(Date.now());
      // Released already: a second force release is a conflict, not a silent success.
      const again = await api('post', path(running.id), admin, {
        reason: 'again',
      });
      expect(again.status).toBe(409);
      expect(again.body.error.message).toMatch(/already over \(released\)/);

      const cancelled = await api('post', path(upcoming.id), admin, {
        reason: 'Environment is being rebuilt',
      });
      expect(cancelled.body.status).toBe('cancelled');

      const [row, ...others] = await auditRows(running.id).where(
        'action',
        'booking-force-release',
      );
      expect(others).toEqual([]);
      expect(row).toMatchObject({
        actor_ref: admin,
        environment_ref: 'resource:default/adm-release',
        reason: 'Needed for the incident',
      });
      expect(Boolean(row.admin_override)).toBe(true);
      expect(JSON.parse(row.before)).toMatchObject({ status: 'approved' });
      expect(JSON.parse(row.after)).toMatchObject({ status: 'released' });
      // The requester and the booking's team hear of it, with the reason.
      expect(recipients()).toEqual([alice, PAYMENTS, alice, PAYMENTS]);
      expect(sent[0].payload.title).toMatch(/ended by an administrator/);
    });

    it('reassigns an open booking to a catalog user and team, telling old and new holders', async () => {
      const now = Date.now();
      const booking = await book('adm-reassign', now + DAY, now + DAY + HOUR);
      const path = `/bookings/${booking.id}/reassign`;
      const body = { requesterRef: 'bob', teamRef: SEARCH, reason: 'On leave' };

      expect((await api('post', path, alice, body)).status).toBe(403);
      const noReason = await api('post', path, admin, { requesterRef: 'bob' });
      expect(noReason.status).toBe(400);
      expect(noReason.body.error.message).toMatch(/reason/);
      const nobody = await api('post', path, admin, { reason: 'x' });
      expect(nobody.status).toBe(400);
      expect(nobody.body.error.message).toMatch(/requesterRef: give a new/);
      const wrongKind = await api('post', path, admin, {
        requesterRef: SEARCH,
        reason: 'x',
      });
      expect(wrongKind.status).toBe(400);
      expect(wrongKind.body.error.message).toMatch(/must refer to a user/);
      const unknown = await api('post', path, admin, {
        requesterRef: 'user:default/nobody',
        reason: 'x',
      });
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.message).toMatch(/user:default\/nobody/);

      const moved = await api('post', path, admin, body);
      expect(moved.status).toBe(200);
      expect(moved.body).toMatchObject({
        requesterRef: bob,
        teamRef: SEARCH,
        status: 'approved',
      });
      expect(
        (await api('get', `/bookings/${booking.id}`, carol)).body,
      ).toMatchObject({ requesterRef: bob, teamRef: SEARCH });
      expect(recipients()).toEqual([alice, PAYMENTS, bob, SEARCH]);

      // A team alone moves only the team.
      const teamOnly = await api('post', path, admin, {
        teamRef: PAYMENTS,
        reason: 'Back to payments',
      });
      expect(teamOnly.body).toMatchObject({
        requesterRef: bob,
        teamRef: PAYMENTS,
      });

      const rows = await auditRows(booking.id).where(
        'action',
        'booking-reassign',
      );
      expect(
        rows.map(r => [
          JSON.parse(r.before).requesterRef,
          JSON.parse(r.after).requesterRef,
          JSON.parse(r.after).teamRef,
          r.reason,
          Boolean(r.admin_override),
        ]),
      ).toEqual([
        [alice, bob, SEARCH, 'On leave', true],
        [bob, bob, PAYMENTS, 'Back to payments', true],
      ]);

      // Over: cancelled by its (new) requester, it cannot be reassigned.
      expect(
        (await api('post', `/bookings/${booking.id}/cancel`, bob)).status,
      ).toBe(200);
      const ended = await api('post', path, admin, body);
      expect(ended.status).toBe(409);
      expect(ended.body.error.message).toMatch(/already over \(cancelled\)/);
    });

    it('lists the approval queue and records the reason of an admin decision', async () => {
      const now = Date.now();
      const first = await book('adm-approval', now + DAY, now + DAY + HOUR);
      const second = await book(
        'adm-approval',
        now + 2 * DAY,
        now + 2 * DAY + HOUR,
      );
      expect(first.status).toBe('pending');

      const queue = await api(
        'get',
        '/bookings?status=pending&environmentRef=resource:default/adm-approval',
        admin,
      );
      expect(queue.body.items.map((b: { id: string }) => b.id)).toEqual([
        first.id,
        second.id,
      ]);

      expect(
        (
          await api('post', `/bookings/${first.id}/approve`, admin, {
            note: 'Release train 42',
          })
        ).body,
      ).toMatchObject({ status: 'approved', decisionNote: 'Release train 42' });
      expect(
        (
          await api('post', `/bookings/${second.id}/reject`, admin, {
            note: 'Clashes with the freeze',
          })
        ).status,
      ).toBe(200);
      const decisions = await knex('audit_events')
        .whereIn('subject_id', [first.id, second.id])
        .whereIn('action', ['booking-approve', 'booking-reject'])
        .orderBy('action');
      expect(
        decisions.map(r => [r.action, r.reason, Boolean(r.admin_override)]),
      ).toEqual([
        ['booking-approve', 'Release train 42', true],
        ['booking-reject', 'Clashes with the freeze', true],
      ]);
    });

    it('stores every occurrence of a recurring blackout: each refuses bookings and is listed', async () => {
      const start = Date.now() + 3 * DAY;
      const created = await api('post', '/blackouts', admin, {
        scope: 'environment',
        scopeKey: 'resource:default/adm-weekly',
        title: 'Weekly freeze',
        start: iso(start),
        end: iso(start + 2 * HOUR),
        rrule: 'FREQ=WEEKLY;COUNT=3',
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        start: iso(start),
        seriesId: expect.any(String),
        rrule: expect.stringMatching(/^FREQ=WEEKLY;UNTIL=\d{8}T\d{6}Z$/),
      });

      const listed = await api(
        'get',
        `/blackouts?environmentRef=resource:default/adm-weekly&from=${iso(
          start - DAY,
        )}&to=${iso(start + 30 * DAY)}`,
        alice,
      );
      expect(listed.body.items.map((b: { start: string }) => b.start)).toEqual(
        [0, 7, 14].map(days => iso(start + days * DAY)),
      );
      expect(
        new Set(listed.body.items.map((b: { seriesId: string }) => b.seriesId)),
      ).toEqual(new Set([created.body.seriesId]));

      // The second occurrence refuses a booking; the gap between occurrences books.
      const inSecond = await api('post', '/bookings', alice, {
        environmentRef: 'resource:default/adm-weekly',
        title: 'Test',
        purpose: 'testing',
        start: iso(start + 7 * DAY + HOUR),
        end: iso(start + 7 * DAY + 3 * HOUR),
      });
      expect(inSecond.status).toBe(409);
      expect(inSecond.body.error.message).toMatch(/Weekly freeze/);
      await book('adm-weekly', start + 3 * DAY, start + 3 * DAY + HOUR);

      const [row] = await auditRows(created.body.id);
      expect(row.action).toBe('blackout-create');
      expect(JSON.parse(row.after).occurrences).toHaveLength(3);

      // Deleting the second occurrence deletes it and the third; the first stays.
      const second = listed.body.items[1];
      expect(
        (await api('delete', `/blackouts/${second.id}`, admin)).status,
      ).toBe(204);
      const remaining = await knex('blackouts').where(
        'series_id',
        created.body.seriesId,
      );
      expect(remaining.map(b => b.id)).toEqual([created.body.id]);
      await book(
        'adm-weekly',
        start + 7 * DAY + HOUR,
        start + 7 * DAY + 2 * HOUR,
      );
    });

    it('edits a blackout: the window moves, the id stays, before and after are audited', async () => {
      const start = Date.now() + 5 * DAY;
      const created = await api('post', '/blackouts', admin, {
        scope: 'environment',
        scopeKey: 'resource:default/adm-moved',
        kind: 'maintenance',
        title: 'Database upgrade',
        start: iso(start),
        end: iso(start + 2 * HOUR),
      });
      const id = created.body.id;
      const moved = {
        scope: 'environment',
        scopeKey: 'resource:default/adm-moved',
        kind: 'maintenance',
        title: 'Database upgrade (moved)',
        start: iso(start + DAY),
        end: iso(start + DAY + 2 * HOUR),
      };

      expect((await api('put', `/blackouts/${id}`, alice, moved)).status).toBe(
        403,
      );
      const invalid = await api('put', `/blackouts/${id}`, admin, {
        ...moved,
        end: moved.start,
      });
      expect(invalid.status).toBe(400);
      expect(invalid.body.error.message).toMatch(/end: must be after start/);
      expect(
        (await api('put', '/blackouts/no-such-blackout', admin, moved)).status,
      ).toBe(404);

      const updated = await api('put', `/blackouts/${id}`, admin, moved);
      expect(updated.status).toBe(200);
      expect(updated.body).toMatchObject({
        id,
        title: 'Database upgrade (moved)',
        start: moved.start,
        createdByRef: admin,
      });
      // The old window books again; the new one refuses.
      await book('adm-moved', start, start + HOUR);
      expect(
        (
          await api('post', '/bookings', alice, {
            environmentRef: 'resource:default/adm-moved',
            title: 'Test',
            purpose: 'testing',
            start: iso(start + DAY + HOUR),
            end: iso(start + DAY + 3 * HOUR),
          })
        ).status,
      ).toBe(409);

      const [, update] = await auditRows(id);
      expect(update).toMatchObject({
        action: 'blackout-update',
        actor_ref: admin,
        environment_ref: 'resource:default/adm-moved',
      });
      expect(JSON.parse(update.before)).toMatchObject({ start: iso(start) });
      expect(JSON.parse(update.after)).toMatchObject({ start: moved.start });

      // Made recurring: the edited blackout is the first occurrence and keeps the id.
      const recurring = await api('put', `/blackouts/${id}`, admin, {
        ...moved,
        title: 'Daily upgrade',
        rrule: 'FREQ=DAILY;COUNT=2',
      });
      expect(recurring.body).toMatchObject({
        id,
        seriesId: expect.any(String),
      });
      const occurrences = () =>
        knex('blackouts')
          .where('scope_key', 'resource:default/adm-moved')
          .orderBy('starts_at');
      const [, second] = await occurrences();
      // Editing the second occurrence replaces it and any later ones; the first stays.
      const edited = await api('put', `/blackouts/${second.id}`, admin, {
        ...moved,
        title: 'Second only',
        start: iso(start + 2 * DAY),
        end: iso(start + 2 * DAY + HOUR),
        rrule: recurring.body.rrule,
      });
      expect(edited.status).toBe(200);
      expect(
        (await occurrences()).map(r => [r.id, r.title, r.series_id]),
      ).toEqual([
        [id, 'Daily upgrade', recurring.body.seriesId],
        [second.id, 'Second only', recurring.body.seriesId],
      ]);
    });

    it('filters and pages the audit log and exports it as CSV, for admins only', async () => {
      const since = new Date().toISOString();
      const now = Date.now();
      const booking = await book('adm-audit', now - MINUTE, now + HOUR);
      await api('post', `/bookings/${booking.id}/force-release`, admin, {
        reason: '=HYPERLINK("http://evil.example"), urgent',
      });
      const filter = `environmentRef=resource:default/adm-audit&from=${since}`;

      for (const path of ['/audit', '/audit.csv']) {
        expect((await api('get', `${path}?${filter}`, alice)).status).toBe(403);
      }
      const all = await api('get', `/audit?${filter}`, admin);
      expect(all.body.items.map((e: { action: string }) => e.action)).toEqual([
        'booking-force-release',
        'booking-create',
      ]);
      const page2 = await api(
        'get',
        `/audit?${filter}&limit=1&offset=1`,
        admin,
      );
      expect(page2.body.items.map((e: { action: string }) => e.action)).toEqual(
        ['booking-create'],
      );
      const byActor = await api(
        'get',
        `/audit?${filter}&actorRef=${admin}&action=booking-force-release`,
        admin,
      );
      expect(byActor.body.items).toHaveLength(1);
      expect(byActor.body.items[0].reason).toMatch(/^=HYPERLINK/);
      const before = await api('get', `/audit?${filter}&to=${since}`, admin);
      expect(before.body.items).toEqual([]);
      const badRef = await api('get', '/audit?actorRef=user:', admin);
      expect(badRef.status).toBe(400);
      expect(badRef.body.error.message).toMatch(/actorRef/);

      const csv = await api('get', `/audit.csv?${filter}`, admin);
      expect(csv.status).toBe(200);
      expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(csv.headers['content-disposition']).toMatch(/audit-log\.csv/);
      const lines = csv.text.split('\r\n');
      expect(lines[0]).toBe(
        'at,actor,action,subject type,subject id,environment,admin override,reason,before,after',
      );
      expect(lines).toHaveLength(4);
      expect(lines[1]).toContain(
        `,${admin},booking-force-release,booking,${booking.id},resource:default/adm-audit,true,` +
          `"'=HYPERLINK(""http://evil.example""), urgent",`,
      );
      expect(lines[3]).toBe('');
    });
  });
});
