import { Knex } from 'knex';
import { migrationsDir } from './migrations';
import {
  deleteStoredPolicy,
  listStoredPolicies,
  upsertStoredPolicy,
} from './policiesStore';
import {
  createTestDatabases,
  supportedDatabases,
  TEST_DATABASE_IDS,
} from '../__testUtils__/databases';

jest.setTimeout(60_000);

const t0 = new Date('2026-11-27T09:00:00.000Z');
const t1 = new Date('2026-11-27T09:05:00.000Z');

describe('policiesStore', () => {
  const databases = createTestDatabases();
  it('runs on PostgreSQL 15 and SQLite', () => {
    expect(supportedDatabases(databases)).toEqual(TEST_DATABASE_IDS);
  });

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let knex: Knex;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      await knex.migrate.latest({ directory: migrationsDir });
    });
    afterEach(async () => {
      await knex('booking_policies').delete();
    });
    afterAll(async () => {
      await knex.destroy();
    });

    it('stores one policy per scope, replacing it on the next write', async () => {
      await knex.transaction(async tx => {
        await upsertStoredPolicy(tx, {
          scope: 'tier',
          scopeKey: 'staging',
          settings: { maxDurationHours: 8, requiresApproval: true },
          updatedByRef: 'user:default/dave',
          updatedAt: t0,
        });
        await upsertStoredPolicy(tx, {
          scope: 'global',
          scopeKey: '',
          settings: {},
          updatedByRef: 'user:default/dave',
          updatedAt: t0,
        });
      });
      await knex.transaction(tx =>
        upsertStoredPolicy(tx, {
          scope: 'tier',
          scopeKey: 'staging',
          settings: { maxExtensions: 0 },
          updatedByRef: 'user:default/erin',
          updatedAt: t1,
        }),
      );

      expect(await listStoredPolicies(knex)).toEqual([
        {
          scope: 'global',
          scopeKey: '',
          settings: {},
          updatedByRef: 'user:default/dave',
          updatedAt: t0,
        },
        {
          scope: 'tier',
          scopeKey: 'staging',
          settings: { maxExtensions: 0 },
          updatedByRef: 'user:default/erin',
          updatedAt: t1,
        },
      ]);
      expect(
        Number((await knex('booking_policies').count({ n: '*' }))[0].n),
      ).toBe(2);
    });

    it('deletes one scope, saying whether there was a policy', async () => {
      const ref = 'resource:default/qa-1';
      await knex.transaction(tx =>
        upsertStoredPolicy(tx, {
          scope: 'environment',
          scopeKey: ref,
          settings: { minNoticeMinutes: 30 },
          updatedByRef: 'user:default/dave',
          updatedAt: t0,
        }),
      );
      await knex.transaction(async tx => {
        // The same key at another scope is another policy.
        expect(await deleteStoredPolicy(tx, 'tier', ref)).toBe(false);
        expect(await deleteStoredPolicy(tx, 'environment', ref)).toBe(true);
        expect(await deleteStoredPolicy(tx, 'environment', ref)).toBe(false);
      });
      expect(await listStoredPolicies(knex)).toEqual([]);
    });
  });
});
