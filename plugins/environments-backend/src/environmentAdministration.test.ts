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
  startBookingBackend,
  testEnvironment as environment,
  users,
} from './__testUtils__/bookingBackend';

jest.setTimeout(120_000);

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();

const { alice, admin } = users;

const component = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default' },
  spec: { type: 'service', owner: 'group:default/payments-team' },
});

const entities = [
  // Configured: the `policy` tier's bookings last at most 48 h.
  environment('pol-a', { 'tem.dev/tier': 'policy' }),
  environment('pol-b', { 'tem.dev/tier': 'policy' }),
  environment('state-a'),
  environment('state-b'),
  environment('state-slots'),
  environment('matrix-a', { 'tem.dev/tier': 'matrix' }),
  component('web'),
];
const config = {
  environments: {
    bookingPolicies: {
      global: { maxAdvanceDays: 60 },
      tiers: [{ tier: 'policy', maxDurationHours: 48 }],
    },
  },
};

describe('administration of policies and environment state', () => {
  const databases = createTestDatabases();

  it('runs on PostgreSQL 15 and SQLite', () => {
    expect(supportedDatabases(databases)).toEqual(TEST_DATABASE_IDS);
  });

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let knex: Knex;
    let backend: Awaited<ReturnType<typeof startBookingBackend>>['backend'];
    const api = (
      method: 'get' | 'post' | 'put' | 'patch' | 'delete',
      path: string,
      user: string,
      body?: object,
    ) => {
      const req = request(backend.server)
        [method](`/api/environments${path}`)
        .set('Authorization', as(user));
      return body ? req.send(body) : req;
    };
    /** Books `hours` hours on `name` from `inDays` days from now (1 by default), as alice. */
    const book = (
      name: string,
      hours: number,
      options: { inDays?: number; componentRef?: string } = {},
    ) => {
      const { inDays = 1, componentRef } = options;
      const start = Date.now() + inDays * DAY;
      return api('post', '/bookings', alice, {
        environmentRef: `resource:default/${name}`,
        title: 'Admin test',
        purpose: 'testing',
        start: iso(start),
        end: iso(start + hours * HOUR),
        ...(componentRef && { componentRef }),
      });
    };
    const auditRows = (subjectId: string) =>
      knex('audit_events').where('subject_id', subjectId).orderBy('at');
    const scope = async (scopeName: string, key: string) =>
      (await api('get', '/admin/policies', admin)).body.items.find(
        (e: { scope: string; key: string }) =>
          e.scope === scopeName && e.key === key,
      );

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      ({ backend } = await startBookingBackend({ knex, entities, config }));
    });
    afterAll(async () => {
      await backend.stop();
      await knex.destroy();
    });

    it('answers 403 to everyone but administrators, and changes nothing for them', async () => {
      const writes: Array<[string, string, object?]> = [
        ['put', '/admin/policies/global', { policy: { maxExtensions: 1 } }],
        ['put', '/admin/policies/tiers/matrix', { policy: {} }],
        [
          'put',
          '/admin/policies/environments/default/matrix-a',
          { policy: {} },
        ],
        ['delete', '/admin/policies/global'],
        ['delete', '/admin/policies/tiers/matrix'],
        ['delete', '/admin/policies/environments/default/matrix-a'],
        [
          'patch',
          '/admin/environments/default/matrix-a',
          { status: 'retired' },
        ],
      ];
      expect((await api('get', '/admin/policies', alice)).status).toBe(403);
      for (const [method, path, body] of writes) {
        const res = await api(method as 'put', path, alice, body);
        expect([path, res.status]).toEqual([path, 403]);
      }
      expect(await knex('booking_policies').select()).toEqual([]);
      expect(
        await knex('environments')
          .where('entity_ref', 'resource:default/matrix-a')
          .whereNot('status', 'available'),
      ).toEqual([]);

      // The same requests from an administrator.
      expect((await api('get', '/admin/policies', admin)).status).toBe(200);
      for (const [method, path, body] of writes) {
        const res = await api(method as 'put', path, admin, body);
        expect([path, res.status]).toEqual([path, 200]);
      }
    });

    it('lists every scope with the configured policies as their source', async () => {
      const res = await api('get', '/admin/policies', admin);
      expect(res.status).toBe(200);
      expect(res.body.items[0]).toEqual({
        scope: 'global',
        key: '',
        source: 'config',
        settings: { maxAdvanceDays: 60 },
        configured: { maxAdvanceDays: 60 },
        effective: { maxAdvanceDays: 60, requiresApproval: false },
      });
      expect(await scope('tier', 'policy')).toMatchObject({
        source: 'config',
        settings: { maxDurationHours: 48 },
        effective: {
          maxDurationHours: 48,
          maxAdvanceDays: 60,
          requiresApproval: false,
        },
      });
      expect(
        await scope('environment', 'resource:default/pol-a'),
      ).toMatchObject({ tier: 'policy', source: 'none', settings: {} });
    });

    it('applies a stored tier policy to bookings and extensions, audited, until it is reset', async () => {
      // Within the configured 48 h.
      expect((await book('pol-a', 24)).status).toBe(201);

      const put = await api('put', '/admin/policies/tiers/Policy', admin, {
        policy: { maxDurationHours: 8, maxExtensions: 0 },
        reason: 'Release week',
      });
      expect(put.status).toBe(200);
      expect(put.body).toMatchObject({
        scope: 'tier',
        key: 'policy',
        source: 'stored',
        settings: { maxDurationHours: 8, maxExtensions: 0 },
        configured: { maxDurationHours: 48 },
        effective: {
          maxDurationHours: 8,
          maxExtensions: 0,
          maxAdvanceDays: 60,
        },
        updatedByRef: admin,
      });

      // Both environments of the tier get it at once, here and in the environment list.
      const refused = await book('pol-b', 24);
      expect(refused.status).toBe(400);
      expect(refused.body.error.message).toBe(
        'end: bookings of this environment last at most 8 h',
      );
      expect(
        (await api('get', '/environments/default/pol-b', alice)).body.policy,
      ).toEqual({
        maxDurationHours: 8,
        maxExtensions: 0,
        maxAdvanceDays: 60,
        requiresApproval: false,
      });
      const short = await book('pol-b', 4);
      expect(short.status).toBe(201);
      const extended = await api(
        'post',
        `/bookings/${short.body.id}/extend`,
        alice,
        { end: iso(Date.parse(short.body.end) + HOUR) },
      );
      expect(extended.status).toBe(400);
      expect(extended.body.error.message).toBe(
        'end: a booking of this environment may be extended 0 time(s)',
      );

      const reset = await api('delete', '/admin/policies/tiers/policy', admin);
      expect(reset.status).toBe(200);
      expect(reset.body).toMatchObject({
        source: 'config',
        settings: { maxDurationHours: 48 },
      });
      expect((await book('pol-b', 24, { inDays: 3 })).status).toBe(201);

      const [update, resetRow] = await auditRows('tier:policy');
      expect(update).toMatchObject({
        action: 'policy-update',
        subject_type: 'policy',
        actor_ref: admin,
        reason: 'Release week',
        environment_ref: null,
      });
      expect(JSON.parse(update.before)).toEqual({
        source: 'config',
        settings: { maxDurationHours: 48 },
      });
      expect(JSON.parse(update.after)).toEqual({
        source: 'stored',
        settings: { maxDurationHours: 8, maxExtensions: 0 },
      });
      expect(resetRow).toMatchObject({ action: 'policy-reset' });
      expect(JSON.parse(resetRow.after)).toEqual({
        source: 'config',
        settings: { maxDurationHours: 48 },
      });
    });

    it('stores an environment policy over the tier, naming the environment in the audit log', async () => {
      const res = await api(
        'put',
        '/admin/policies/environments/default/pol-a',
        admin,
        { policy: { maxDurationHours: 2 } },
      );
      expect(res.status).toBe(200);
      expect((await book('pol-a', 3)).status).toBe(400);
      expect((await book('pol-b', 3, { inDays: 5 })).status).toBe(201);
      const [row] = await auditRows('environment:resource:default/pol-a');
      expect(row).toMatchObject({
        action: 'policy-update',
        environment_ref: 'resource:default/pol-a',
      });
      await api('delete', '/admin/policies/environments/default/pol-a', admin);
    });

    it.each([
      [
        '/admin/policies/global',
        { policy: { maxDurationHours: 0 } },
        400,
        'policy.maxDurationHours: must be more than 0',
      ],
      [
        '/admin/policies/global',
        { policy: { maxHours: 8 } },
        400,
        'policy.maxHours: is not a policy field',
      ],
      [
        '/admin/policies/global',
        { policy: { maxExtensions: 1.5 } },
        400,
        'body.policy.maxExtensions: must be integer',
      ],
      [
        // The global 60 days ahead, and 61 days of notice.
        '/admin/policies/tiers/policy',
        { policy: { minNoticeMinutes: 61 * 1440 } },
        400,
        'policy.minNoticeMinutes: 87840 minutes of notice leave no start time within the 60 day(s) bookings may be made ahead (at tier:policy)',
      ],
      [
        '/admin/policies/tiers/nowhere',
        { policy: {} },
        400,
        'tier: no environment has the tier "nowhere"',
      ],
      [
        '/admin/policies/environments/default/nowhere',
        { policy: {} },
        404,
        'No environment resource:default/nowhere in the catalog',
      ],
    ])('refuses PUT %s %j with %i', async (path, body, status, message) => {
      const res = await api('put', path, admin, body);
      expect(res.status).toBe(status);
      expect(res.body.error.message).toContain(message);
    });

    it('answers 404 to a reset of a scope without a stored policy', async () => {
      const res = await api('delete', '/admin/policies/tiers/test', admin);
      expect(res.status).toBe(404);
      expect(res.body.error.message).toBe('No stored policy for tier:test');
    });

    it('refuses new bookings in maintenance with a 409 naming the state, audited, and shows it', async () => {
      const patch = await api(
        'patch',
        '/admin/environments/default/state-a',
        admin,
        {
          status: 'maintenance',
          reason: 'Disk replacement',
        },
      );
      expect(patch.status).toBe(200);
      expect(patch.body).toMatchObject({
        entityRef: 'resource:default/state-a',
        status: 'maintenance',
      });

      const refused = await book('state-a', 1);
      expect(refused.status).toBe(409);
      expect(refused.body.error.message).toBe(
        'resource:default/state-a is maintenance',
      );
      expect(
        (await api('get', '/environments/default/state-a', alice)).body.status,
      ).toBe('maintenance');
      const [row] = await auditRows('resource:default/state-a');
      expect(row).toMatchObject({
        action: 'environment-update',
        subject_type: 'environment',
        environment_ref: 'resource:default/state-a',
        reason: 'Disk replacement',
      });
      expect(JSON.parse(row.before)).toEqual({
        status: 'available',
        overrides: {},
      });
      expect(JSON.parse(row.after)).toEqual({
        status: 'maintenance',
        overrides: {},
      });

      await api('patch', '/admin/environments/default/state-a', admin, {
        status: 'available',
      });
      expect((await book('state-a', 1)).status).toBe(201);
    });

    it('overrides capacity and bookability over the catalog, until cleared', async () => {
      // The catalog says exclusive.
      expect((await book('state-b', 1)).status).toBe(201);
      expect((await book('state-b', 1)).status).toBe(409);

      const patch = await api(
        'patch',
        '/admin/environments/default/state-b',
        admin,
        {
          capacity: 2,
        },
      );
      expect(patch.body).toMatchObject({
        capacity: 2,
        overrides: { capacity: 2 },
      });
      expect((await book('state-b', 1)).status).toBe(201);

      await api('patch', '/admin/environments/default/state-b', admin, {
        bookable: false,
      });
      const notBookable = await book('state-b', 1, { inDays: 3 });
      expect(notBookable.status).toBe(400);
      expect(notBookable.body.error.message).toBe(
        'environmentRef: resource:default/state-b cannot be booked',
      );

      const cleared = await api(
        'patch',
        '/admin/environments/default/state-b',
        admin,
        {
          bookable: null,
          capacity: null,
        },
      );
      expect(cleared.body).toMatchObject({ bookable: true, capacity: 1 });
      expect(cleared.body.overrides).toBeUndefined();
    });

    it('sets component slots from catalog components only', async () => {
      const unknown = await api(
        'patch',
        '/admin/environments/default/state-slots',
        admin,
        {
          componentSlots: ['web', 'api'],
        },
      );
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.message).toBe(
        'componentSlots[1]: no component component:default/api in the catalog',
      );

      const set = await api(
        'patch',
        '/admin/environments/default/state-slots',
        admin,
        {
          componentSlots: ['web'],
        },
      );
      expect(set.status).toBe(200);
      expect(set.body.componentSlots).toEqual(['component:default/web']);
      expect(
        (await book('state-slots', 1, { componentRef: 'web' })).status,
      ).toBe(201);
    });

    it('keeps the time of the last status change when the status is set again', async () => {
      const first = await api(
        'patch',
        '/admin/environments/default/state-a',
        admin,
        {
          status: 'retired',
        },
      );
      const again = await api(
        'patch',
        '/admin/environments/default/state-a',
        admin,
        {
          status: 'retired',
          reason: 'Still retired',
        },
      );
      expect(again.body.statusChangedAt).toBe(first.body.statusChangedAt);
      await api('patch', '/admin/environments/default/state-a', admin, {
        status: 'available',
      });
    });

    it('answers 404 for an environment the catalog does not have', async () => {
      const res = await api(
        'patch',
        '/admin/environments/default/nowhere',
        admin,
        {
          status: 'retired',
        },
      );
      expect(res.status).toBe(404);
    });
  });
});
