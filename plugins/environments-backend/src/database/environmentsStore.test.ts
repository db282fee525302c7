import { Knex } from 'knex';
import { EnvironmentSnapshot } from '../domain/environments';
import {
  getEnvironmentStates,
  lockEnvironment,
  syncEnvironments,
  updateEnvironmentState,
} from './environmentsStore';
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
  systemRef: 'system:default/checkout',
  bookable: true,
  capacity: 1,
};
const perf: EnvironmentSnapshot = {
  entityRef: 'resource:default/perf',
  tier: 'perf',
  bookable: false,
  capacity: 3,
};

const t0 = new Date('2026-11-27T09:00:00.000Z');
const t1 = new Date('2026-11-27T09:05:00.000Z');
const t2 = new Date('2026-11-27T09:10:00.000Z');

describe('environmentsStore', () => {
  const databases = createTestDatabases();
  it('runs on PostgreSQL 15 and SQLite', () => {
    expect(supportedDatabases(databases)).toEqual(TEST_DATABASE_IDS);
  });

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let knex: Knex;
    const sync = (snapshots: EnvironmentSnapshot[], now: Date) =>
      knex.transaction(tx => syncEnvironments(tx, snapshots, now));

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      await knex.migrate.latest({ directory: migrationsDir });
    });
    afterEach(async () => {
      await knex('environments').delete();
    });
    afterAll(async () => {
      await knex.destroy();
    });

    it('adds new environments as available, with the catalog facts', async () => {
      expect(await sync([qa1, perf], t0)).toEqual({ seen: 2, removed: 0 });

      const states = await getEnvironmentStates(knex);
      expect(states.get(qa1.entityRef)).toEqual({
        ...qa1,
        status: 'available',
        statusChangedAt: t0,
        firstSeenAt: t0,
        lastSeenAt: t0,
        removedAt: undefined,
        overrides: {},
      });
      expect(states.get(perf.entityRef)).toMatchObject({
        title: undefined,
        ownerRef: undefined,
        bookable: false,
        capacity: 3,
      });
    });

    it('refreshes catalog facts but keeps the status and first-seen time', async () => {
      await sync([qa1], t0);
      await knex('environments')
        .update({ status: 'maintenance', status_changed_at: t0 })
        .where('entity_ref', qa1.entityRef);

      await sync(
        [{ ...qa1, tier: 'staging', capacity: 2, title: undefined }],
        t1,
      );

      const state = (await getEnvironmentStates(knex)).get(qa1.entityRef);
      expect(state).toMatchObject({
        tier: 'staging',
        capacity: 2,
        title: undefined,
        status: 'maintenance',
        firstSeenAt: t0,
        lastSeenAt: t1,
      });
    });

    it('marks environments gone from the catalog as removed and restores them on return', async () => {
      await sync([qa1, perf], t0);

      expect(await sync([qa1], t1)).toEqual({ seen: 1, removed: 1 });
      let states = await getEnvironmentStates(knex);
      expect(states.size).toBe(2);
      expect(states.get(perf.entityRef)?.removedAt).toEqual(t1);
      expect(states.get(qa1.entityRef)?.removedAt).toBeUndefined();

      // A second sync without it does not count it again or move its removal time.
      expect(await sync([qa1], t2)).toEqual({ seen: 1, removed: 0 });
      expect(
        (await getEnvironmentStates(knex)).get(perf.entityRef)?.removedAt,
      ).toEqual(t1);

      await sync([qa1, perf], t2);
      states = await getEnvironmentStates(knex);
      expect(states.get(perf.entityRef)?.removedAt).toBeUndefined();
      expect(states.get(perf.entityRef)?.firstSeenAt).toEqual(t0);
    });

    it('handles catalogs larger than one insert batch', async () => {
      const many = Array.from({ length: 450 }, (_, i) => ({
        ...qa1,
        entityRef: `resource:default/env-${i}`,
      }));
      expect(await sync(many, t0)).toEqual({ seen: 450, removed: 0 });
      expect(await sync(many.slice(0, 10), t1)).toEqual({
        seen: 10,
        removed: 440,
      });

      const refs = many.map(e => e.entityRef);
      const states = await getEnvironmentStates(knex, refs);
      expect(states.size).toBe(450);
      expect([...states.values()].filter(s => s.removedAt).length).toBe(440);
    });

    it("keeps an administrator's status and overrides through syncs, until cleared", async () => {
      await sync([qa1], t0);
      const changed = await knex.transaction(async tx => {
        await lockEnvironment(tx, qa1, t1);
        return updateEnvironmentState(
          tx,
          qa1.entityRef,
          {
            status: 'retired',
            bookable: false,
            capacity: 4,
            componentSlots: ['component:default/web'],
          },
          t1,
        );
      });
      const expected = {
        status: 'retired',
        statusChangedAt: t1,
        // In force: the overrides over the catalog's bookable and capacity 1.
        bookable: false,
        capacity: 4,
        overrides: {
          bookable: false,
          capacity: 4,
          componentSlots: ['component:default/web'],
        },
      };
      expect(changed).toMatchObject(expected);

      // The catalog changes its capacity; the sync stores it but the override stays in force.
      await sync([{ ...qa1, capacity: 2 }], t2);
      expect(
        (await getEnvironmentStates(knex)).get(qa1.entityRef),
      ).toMatchObject(expected);
      expect(
        await knex('environments').first('capacity', 'capacity_override'),
      ).toEqual({ capacity: 2, capacity_override: 4 });

      // null clears an override; fields left out stay as they are.
      const cleared = await knex.transaction(tx =>
        updateEnvironmentState(
          tx,
          qa1.entityRef,
          { capacity: null, componentSlots: null },
          t2,
        ),
      );
      expect(cleared).toMatchObject({
        status: 'retired',
        statusChangedAt: t1,
        bookable: false,
        capacity: 2,
        overrides: { bookable: false },
      });
    });

    it('returns only the asked-for environments', async () => {
      await sync([qa1, perf], t0);
      const states = await getEnvironmentStates(knex, [
        perf.entityRef,
        'resource:default/none',
      ]);
      expect([...states.keys()]).toEqual([perf.entityRef]);
    });
  });
});
