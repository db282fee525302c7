import { mockServices } from '@backstage/backend-test-utils';
import {
  burnRateWindows,
  SloSummary,
} from '@internal/plugin-environments-common';
import { Knex } from 'knex';
import {
  createTestDatabases,
  supportedDatabases,
  TEST_DATABASE_IDS,
} from '../__testUtils__/databases';
import { migrationsDir } from '../database/migrations';
import { listSloStateChanges } from '../database/sloSnapshotsStore';
import { SloHistoryService } from './SloHistoryService';

jest.setTimeout(60_000);

const DAY = 24 * 3600_000;
const API = 'component:default/payments-api';
const PROD = 'resource:default/prod-eu';

function summary(
  name: string,
  source: SloSummary['source']['status'],
  burning = false,
): SloSummary {
  return {
    name,
    file: 'slos.yaml',
    window: { duration: '30d', rolling: true, start: '', end: '' },
    budgetingMethod: 'Occurrences',
    status: 'healthy',
    source: { type: 'prometheus', status: source, queries: 2 },
    objectives: [
      {
        name: 'default',
        target: 0.999,
        sli: 0.9993,
        budgetRemaining: 0.3,
        burnRates: burnRateWindows(30 * DAY).map(w => ({
          ...w,
          longBurnRate: burning ? 20 : 1,
          shortBurnRate: burning ? 20 : 1,
          firing: burning && w.severity === 'page',
        })),
        status: burning ? 'at-risk' : 'healthy',
        dataQuality: 'ok',
        series: [],
      },
    ],
  };
}

describe('SloHistoryService', () => {
  const databases = createTestDatabases();
  it('runs on PostgreSQL 15 and SQLite', () => {
    expect(supportedDatabases(databases)).toEqual(TEST_DATABASE_IDS);
  });

  it.each(databases.eachSupportedId())(
    'stores a snapshot of each SLO with numbers now, none for one whose source failed, and forgets those past retention, on %p',
    async databaseId => {
      const knex: Knex = await databases.init(databaseId);
      await knex.migrate.latest({ directory: migrationsDir });
      const evaluations = [
        {
          entityRef: API,
          environmentRef: PROD,
          summary: summary('up', 'ok', true),
        },
        { entityRef: API, summary: summary('unscoped', 'ok') },
        // Prometheus down: the last known values are shown, but no snapshot is made of them.
        { entityRef: API, summary: summary('stale', 'stale') },
        {
          entityRef: API,
          summary: { ...summary('down', 'unavailable'), objectives: [] },
        },
      ];
      const history = new SloHistoryService({
        db: knex,
        auth: mockServices.auth(),
        logger: mockServices.logger.mock(),
        slos: { evaluateAll: async () => evaluations },
        retentionDays: 10,
      });
      const now = new Date('2026-11-27T09:00:00.000Z');
      const old = new Date(now.getTime() - 11 * DAY);
      expect(await history.run(old)).toMatchObject({ stored: 2, skipped: 2 });
      expect(await history.run(now)).toEqual({
        evaluated: 4,
        stored: 2,
        skipped: 2,
        deleted: 2,
      });
      const kept = await listSloStateChanges(knex, {
        entityRefs: [API],
        from: new Date(0),
        to: new Date(now.getTime() + 1),
      });
      expect(
        kept.map(s => [s.sloName, s.environmentRef, s.fastBurn, s.at]),
      ).toEqual([
        ['up', PROD, true, now],
        ['unscoped', undefined, false, now],
      ]);
      await knex.destroy();
    },
  );
});
