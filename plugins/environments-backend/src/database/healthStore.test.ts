import { Knex } from 'knex';
import { EnvironmentSnapshot } from '../domain/environments';
import { getEnvironmentStates, syncEnvironments } from './environmentsStore';
import {
  deleteProbesBefore,
  getCurrentHealth,
  listRecentProbes,
  recordProbes,
  storeCurrentHealth,
} from './healthStore';
import { migrationsDir } from './migrations';
import {
  createTestDatabases,
  supportedDatabases,
  TEST_DATABASE_IDS,
} from '../__testUtils__/databases';

jest.setTimeout(60_000);

const qa1: EnvironmentSnapshot = {
  entityRef: 'resource:default/qa-1',
  title: 'QA 1',
  tier: 'test',
  ownerRef: 'group:default/platform-team',
  bookable: true,
  capacity: 1,
};
const qa2: EnvironmentSnapshot = { ...qa1, entityRef: 'resource:default/qa-2' };

const at = (minute: number) =>
  new Date(Date.UTC(2026, 10, 27, 9, minute, 0, 0));

describe('healthStore', () => {
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
      await knex('health_checks').delete();
      await knex('environments').delete();
    });
    afterAll(async () => {
      await knex.destroy();
    });

    it('records probes and reads an environment’s newest first, up to a limit', async () => {
      await recordProbes(knex, [
        {
          environmentRef: qa1.entityRef,
          at: at(0),
          ok: true,
          httpStatus: 200,
          latencyMs: 40,
        },
        {
          environmentRef: qa1.entityRef,
          at: at(2),
          ok: false,
          reason: 'connection refused',
        },
        {
          environmentRef: qa1.entityRef,
          at: at(1),
          ok: false,
          httpStatus: 500,
          latencyMs: 7,
          reason: 'answered 500',
        },
        { environmentRef: qa2.entityRef, at: at(3), ok: true, latencyMs: 1 },
      ]);

      expect(await listRecentProbes(knex, qa1.entityRef, 2)).toEqual([
        {
          environmentRef: qa1.entityRef,
          at: at(2),
          ok: false,
          httpStatus: undefined,
          latencyMs: undefined,
          reason: 'connection refused',
        },
        {
          environmentRef: qa1.entityRef,
          at: at(1),
          ok: false,
          httpStatus: 500,
          latencyMs: 7,
          reason: 'answered 500',
        },
      ]);
      expect(await listRecentProbes(knex, qa1.entityRef, 10)).toHaveLength(3);
      expect(await listRecentProbes(knex, 'resource:default/none', 10)).toEqual(
        [],
      );
    });

    it('stores the current health, creating the row of an environment not synced yet', async () => {
      await storeCurrentHealth(
        knex,
        qa1,
        {
          status: 'down',
          since: at(1),
          checkedAt: at(2),
          reason: 'x'.repeat(300),
        },
        at(2),
      );
      expect(
        await getCurrentHealth(knex, [qa1.entityRef, qa2.entityRef]),
      ).toEqual(
        new Map([
          [
            qa1.entityRef,
            {
              status: 'down',
              since: at(1),
              checkedAt: at(2),
              // Cut to the column.
              reason: 'x'.repeat(255),
            },
          ],
        ]),
      );
      expect(
        (await getEnvironmentStates(knex)).get(qa1.entityRef),
      ).toMatchObject({ ...qa1, status: 'available' });
    });

    it('changes only the health of a stored environment, and a catalog sync keeps it', async () => {
      await knex.transaction(tx => syncEnvironments(tx, [qa1], at(0)));
      await knex('environments')
        .where('entity_ref', qa1.entityRef)
        .update({ status: 'maintenance' });

      await storeCurrentHealth(
        knex,
        { ...qa1, title: 'Renamed' },
        { status: 'up', since: at(3), checkedAt: at(3) },
        at(3),
      );
      await knex.transaction(tx => syncEnvironments(tx, [qa1], at(4)));

      expect(
        (await getEnvironmentStates(knex)).get(qa1.entityRef),
      ).toMatchObject({
        title: 'QA 1',
        status: 'maintenance',
        firstSeenAt: at(0),
      });
      expect(
        (await getCurrentHealth(knex, [qa1.entityRef])).get(qa1.entityRef),
      ).toEqual({
        status: 'up',
        since: at(3),
        checkedAt: at(3),
        reason: undefined,
      });
    });

    it('deletes probes older than the retention, and only those', async () => {
      await recordProbes(
        knex,
        [0, 1, 2, 3].map(minute => ({
          environmentRef: qa1.entityRef,
          at: at(minute),
          ok: true,
        })),
      );
      expect(await deleteProbesBefore(knex, at(2))).toBe(2);
      expect(
        (await listRecentProbes(knex, qa1.entityRef, 10)).map(p => p.at),
      ).toEqual([at(3), at(2)]);
    });
  });
});
