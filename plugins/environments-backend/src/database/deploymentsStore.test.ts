import { Knex } from 'knex';
import {
  createTestDatabases,
  supportedDatabases,
  TEST_DATABASE_IDS,
} from '../__testUtils__/databases';
import {
  latestSuccessfulDeployments,
  listDeployedEnvironments,
  listDeployments,
  listDeploymentsSince,
  StoredDeployment,
  upsertDeployments,
} from './deploymentsStore';
import { migrationsDir } from './migrations';

jest.setTimeout(60_000);

const at = (minutes: number) =>
  new Date(Date.parse('2026-11-27T09:00:00.000Z') + minutes * 60_000);

function deployment(
  externalId: string,
  overrides: Partial<StoredDeployment>,
): StoredDeployment {
  return {
    id: `d-${externalId}`,
    provider: 'github',
    externalId,
    entityRef: 'component:default/payments-api',
    environmentName: 'staging',
    environmentRef: 'resource:default/checkout-staging',
    version: 'v1.0.0',
    commitSha: 'aaaaaaa',
    status: 'succeeded',
    deployedAt: at(0),
    deployedBy: 'alice',
    url: `https://github.com/acme/payments-api/deployments/${externalId}`,
    syncedAt: at(1),
    ...overrides,
  };
}

describe('deploymentsStore', () => {
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

    it('stores a deployment once however often it is synced, updating its status', async () => {
      const first = deployment('1', { status: 'running' });
      await upsertDeployments(knex, [first]);
      await upsertDeployments(knex, [first]);
      await upsertDeployments(knex, [
        // The same deployment, seen again by a sync that made up a new id for it.
        { ...first, id: 'd-other', status: 'succeeded', syncedAt: at(5) },
      ]);
      const stored = await listDeployments(knex, {
        entityRefs: ['component:default/payments-api'],
        limit: 10,
      });
      expect(stored).toHaveLength(1);
      expect(stored[0]).toMatchObject({
        id: 'd-1',
        status: 'succeeded',
        deployedAt: at(0),
        syncedAt: at(5),
        environmentRef: 'resource:default/checkout-staging',
      });
    });

    it('keeps the deployments of components that share a repository apart', async () => {
      const shared = deployment('mono-1', {
        entityRef: 'component:default/mono-api',
        environmentRef: 'resource:default/mono-env',
      });
      await upsertDeployments(knex, [
        shared,
        { ...shared, id: 'd-mono-web', entityRef: 'component:default/web' },
      ]);
      const stored = await listDeployments(knex, {
        entityRefs: ['component:default/mono-api', 'component:default/web'],
        limit: 10,
      });
      expect(
        stored
          .filter(d => d.externalId === 'mono-1')
          .map(d => d.entityRef)
          .sort(),
      ).toEqual(['component:default/mono-api', 'component:default/web']);
    });

    it('finds the latest successful deployment per component and environment', async () => {
      await upsertDeployments(knex, [
        deployment('2', { version: 'v1.1.0', deployedAt: at(10) }),
        deployment('3', {
          version: 'v1.2.0',
          deployedAt: at(20),
          status: 'failed',
        }),
        deployment('4', {
          version: 'v1.0.0',
          deployedAt: at(5),
          environmentName: 'production',
          environmentRef: 'resource:default/prod-eu',
        }),
        deployment('5', {
          entityRef: 'component:default/ledger',
          version: 'v7',
          deployedAt: at(3),
        }),
        deployment('6', {
          environmentName: 'preview-42',
          environmentRef: undefined,
          deployedAt: at(30),
        }),
      ]);
      const latest = await latestSuccessfulDeployments(knex, {
        entityRefs: [
          'component:default/payments-api',
          'component:default/ledger',
        ],
      });
      expect(
        latest.map(d => [d.entityRef, d.environmentRef, d.version]),
      ).toEqual([
        ['component:default/ledger', 'resource:default/checkout-staging', 'v7'],
        [
          'component:default/payments-api',
          'resource:default/checkout-staging',
          'v1.1.0',
        ],
        [
          'component:default/payments-api',
          'resource:default/prod-eu',
          'v1.0.0',
        ],
      ]);
      const staging = await latestSuccessfulDeployments(knex, {
        environmentRefs: ['resource:default/checkout-staging'],
      });
      expect(staging.map(d => d.version)).toEqual(['v7', 'v1.1.0']);
    });

    it('keeps a known commit time when a later sync cannot read it', async () => {
      const committed = new Date('2026-11-26T17:30:00.123Z');
      await upsertDeployments(knex, [
        deployment('c-1', {
          entityRef: 'component:default/commits',
          committedAt: committed,
        }),
      ]);
      await upsertDeployments(knex, [
        deployment('c-1', {
          entityRef: 'component:default/commits',
          status: 'failed',
        }),
      ]);
      const [stored] = await listDeployments(knex, {
        entityRefs: ['component:default/commits'],
        limit: 10,
      });
      expect(stored.status).toBe('failed');
      expect(stored.committedAt).toEqual(committed);
    });

    it('lists the deployments of components into environments since a time, oldest first, and where they went', async () => {
      const entityRef = 'component:default/dora';
      await upsertDeployments(knex, [
        deployment('s-1', { entityRef, deployedAt: at(-60) }),
        deployment('s-2', { entityRef, deployedAt: at(30), version: 'v2' }),
        deployment('s-3', { entityRef, deployedAt: at(10), version: 'v1' }),
        deployment('s-4', {
          entityRef,
          deployedAt: at(20),
          environmentRef: 'resource:default/prod-eu',
        }),
        deployment('s-5', {
          entityRef,
          deployedAt: at(40),
          environmentRef: undefined,
        }),
      ]);
      const since = await listDeploymentsSince(knex, {
        entityRefs: [entityRef],
        environmentRefs: ['resource:default/checkout-staging'],
        since: at(0),
      });
      expect(since.map(d => d.externalId)).toEqual(['s-3', 's-2']);
      expect(
        await listDeploymentsSince(knex, {
          entityRefs: [],
          environmentRefs: ['resource:default/checkout-staging'],
          since: at(0),
        }),
      ).toEqual([]);
      expect(await listDeployedEnvironments(knex, [entityRef])).toEqual([
        'resource:default/checkout-staging',
        'resource:default/prod-eu',
      ]);
    });
  });
});
