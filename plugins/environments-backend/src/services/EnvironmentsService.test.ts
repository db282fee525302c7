import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { Knex } from 'knex';
import { migrationsDir } from '../database/migrations';
import {
  createTestDatabases,
  supportedDatabases,
  TEST_DATABASE_IDS,
} from '../__testUtils__/databases';
import { EMPTY_POLICY_SET } from '../domain/policies';
import { EnvironmentsService } from './EnvironmentsService';

jest.setTimeout(60_000);

function environment(name: string, tier: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name,
      namespace: 'default',
      annotations: { 'tem.dev/tier': tier },
    },
    spec: { type: 'environment', owner: 'group:default/platform-team' },
  };
}

describe('EnvironmentsService', () => {
  const databases = createTestDatabases();
  it('runs on PostgreSQL 15 and SQLite', () => {
    expect(supportedDatabases(databases)).toEqual(TEST_DATABASE_IDS);
  });

  it.each(databases.eachSupportedId())(
    'syncs the catalog into its table and serves the stored state, on %p',
    async databaseId => {
      const db: Knex = await databases.init(databaseId);
      await db.migrate.latest({ directory: migrationsDir });
      const credentials = mockCredentials.user();
      const service = (entities: Entity[]) =>
        new EnvironmentsService({
          db,
          catalog: catalogServiceMock({ entities }),
          auth: mockServices.auth(),
          logger: mockServices.logger.mock(),
          policies: { inForce: async () => EMPTY_POLICY_SET },
          healthChecks: { staleAfterMs: 3 * 60_000 },
        });

      const before = await service([environment('qa-1', 'test')]).list(
        credentials,
      );
      expect(before).toEqual([
        expect.objectContaining({ name: 'qa-1', firstSeenAt: undefined }),
      ]);

      const now = new Date('2026-11-27T12:00:00.000Z');
      const catalog = [
        environment('qa-1', 'test'),
        environment('perf', 'perf'),
      ];
      expect(await service(catalog).syncFromCatalog(now)).toEqual({
        seen: 2,
        removed: 0,
      });

      // The status is the plugin's own: a change made to the table shows through the API.
      await db('environments')
        .update({ status: 'maintenance' })
        .where('entity_ref', 'resource:default/perf');
      const after = await service(catalog).list(credentials);
      expect(after.map(e => [e.name, e.status, e.firstSeenAt])).toEqual([
        ['qa-1', 'available', now.toISOString()],
        ['perf', 'maintenance', now.toISOString()],
      ]);

      expect(await service([]).syncFromCatalog(now)).toEqual({
        seen: 0,
        removed: 2,
      });
      await db.destroy();
    },
  );
});
