import { Knex } from 'knex';
import {
  createTestDatabases,
  supportedDatabases,
  TEST_DATABASE_IDS,
} from '../__testUtils__/databases';
import { SloSnapshot } from '../domain/sloHistory';
import { migrationsDir } from './migrations';
import {
  deleteSloSnapshotsBefore,
  listSloStateChanges,
  recordSloSnapshots,
} from './sloSnapshotsStore';

jest.setTimeout(60_000);

const at = (minutes: number) =>
  new Date(Date.parse('2026-11-27T09:00:00.000Z') + minutes * 60_000);

const API = 'component:default/payments-api';
const PROD = 'resource:default/prod-eu';

function snapshot(
  minutes: number,
  state: 'ok' | 'fast' | 'breached',
  overrides: Partial<SloSnapshot> = {},
): SloSnapshot {
  return {
    entityRef: API,
    sloName: 'availability',
    objective: 'default',
    environmentRef: PROD,
    at: at(minutes),
    sli: 0.9991,
    budgetRemaining: state === 'breached' ? -0.2 : 0.6,
    shortBurnRate: state === 'fast' ? 20 : 0.5,
    longBurnRate: state === 'fast' ? 16 : 0.4,
    fastBurn: state === 'fast',
    breached: state === 'breached',
    ...overrides,
  };
}

describe('sloSnapshotsStore', () => {
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
    afterAll(async () => {
      await knex.destroy();
    });

    it('keeps snapshots with their numbers, and deletes those past retention', async () => {
      const entityRef = 'component:default/kept';
      await recordSloSnapshots(knex, [
        snapshot(-100, 'ok', { entityRef }),
        snapshot(0, 'fast', {
          entityRef,
          environmentRef: undefined,
          sli: undefined,
        }),
      ]);
      const stored = await listSloStateChanges(knex, {
        entityRefs: [entityRef],
        from: at(-200),
        to: at(10),
      });
      // Each is the first of its objective's series: no state before it.
      expect(stored).toEqual([
        { ...snapshot(-100, 'ok', { entityRef }), previous: undefined },
        {
          ...snapshot(0, 'fast', {
            entityRef,
            environmentRef: undefined,
            sli: undefined,
          }),
          previous: undefined,
        },
      ]);
      expect(await deleteSloSnapshotsBefore(knex, at(-50))).toBe(1);
      expect(
        await listSloStateChanges(knex, {
          entityRefs: [entityRef],
          from: at(-200),
          to: at(10),
        }),
      ).toHaveLength(1);
    });

    it('lists only where an objective changed state, judged against the history before the period', async () => {
      await recordSloSnapshots(knex, [
        // Burning since before the period: the burn did not begin in it.
        snapshot(-10, 'fast'),
        snapshot(5, 'fast'),
        snapshot(10, 'ok'), // recovered
        snapshot(15, 'ok'),
        snapshot(20, 'breached'), // budget gone
        snapshot(25, 'breached'),
        snapshot(30, 'ok'),
        snapshot(40, 'fast'), // after the period
        // A series silent for over a day before the period starts afresh in it.
        snapshot(-2 * 24 * 60, 'fast', { objective: 'silent' }),
        snapshot(2, 'fast', { objective: 'silent' }),
        // Another objective and another environment are series of their own.
        snapshot(12, 'fast', { objective: 'latency' }),
        snapshot(14, 'fast', { environmentRef: 'resource:default/prod-us' }),
        snapshot(16, 'fast', { entityRef: 'component:default/other' }),
      ]);
      const fast = { fastBurn: true, breached: false };
      const ok = { fastBurn: false, breached: false };
      const breached = { fastBurn: false, breached: true };
      const changes = await listSloStateChanges(knex, {
        entityRefs: [API],
        from: at(0),
        to: at(35),
      });
      expect(
        changes.map(c => [
          c.at.getTime() - at(0).getTime(),
          c.objective,
          c.environmentRef,
          c.fastBurn,
          c.breached,
          c.previous,
        ]),
      ).toEqual([
        [2 * 60_000, 'silent', PROD, true, false, undefined],
        [10 * 60_000, 'default', PROD, false, false, fast],
        [12 * 60_000, 'latency', PROD, true, false, undefined],
        [
          14 * 60_000,
          'default',
          'resource:default/prod-us',
          true,
          false,
          undefined,
        ],
        [20 * 60_000, 'default', PROD, false, true, ok],
        [30 * 60_000, 'default', PROD, false, false, breached],
      ]);
    });
  });
});
