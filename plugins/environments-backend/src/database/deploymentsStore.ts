import { CiRunStatus } from '@internal/plugin-environments-node';
import { Knex } from 'knex';
import { toDate } from './dates';

const TABLE = 'deployments';

/** A deployment as the plugin keeps it. */
export interface StoredDeployment {
  id: string;
  provider: string;
  externalId: string;
  entityRef: string;
  environmentName: string;
  environmentRef?: string;
  version?: string;
  commitSha?: string;
  /** When the deployed commit was committed, when the CI system says. */
  committedAt?: Date;
  status: CiRunStatus;
  deployedAt: Date;
  deployedBy?: string;
  url?: string;
  syncedAt: Date;
}

interface DeploymentRow {
  id: string;
  provider: string;
  external_id: string;
  entity_ref: string;
  environment_name: string;
  environment_ref: string | null;
  version: string | null;
  commit_sha: string | null;
  committed_at: Date | string | number | null;
  status: string;
  deployed_at: Date | string | number;
  deployed_by: string | null;
  url: string | null;
  synced_at: Date | string | number;
}

function toRow(deployment: StoredDeployment): DeploymentRow {
  return {
    id: deployment.id,
    provider: deployment.provider,
    external_id: deployment.externalId,
    entity_ref: deployment.entityRef,
    environment_name: deployment.environmentName,
    environment_ref: deployment.environmentRef ?? null,
    version: deployment.version ?? null,
    commit_sha: deployment.commitSha ?? null,
    committed_at: deployment.committedAt ?? null,
    status: deployment.status,
    deployed_at: deployment.deployedAt,
    deployed_by: deployment.deployedBy ?? null,
    url: deployment.url ?? null,
    synced_at: deployment.syncedAt,
  };
}

function fromRow(row: DeploymentRow): StoredDeployment {
  return {
    id: row.id,
    provider: row.provider,
    externalId: row.external_id,
    entityRef: row.entity_ref,
    environmentName: row.environment_name,
    environmentRef: row.environment_ref ?? undefined,
    version: row.version ?? undefined,
    commitSha: row.commit_sha ?? undefined,
    committedAt:
      row.committed_at === null ? undefined : toDate(row.committed_at),
    status: row.status as CiRunStatus,
    deployedAt: toDate(row.deployed_at),
    deployedBy: row.deployed_by ?? undefined,
    url: row.url ?? undefined,
    syncedAt: toDate(row.synced_at),
  };
}

/**
 * Stores deployments idempotently on (provider, entity, external id): one seen again updates
 * its status and the rest in place, so a sync can run any number of times.
 */
export async function upsertDeployments(
  db: Knex,
  deployments: StoredDeployment[],
): Promise<void> {
  if (deployments.length === 0) return;
  await db(TABLE)
    .insert(deployments.map(toRow))
    .onConflict(['provider', 'entity_ref', 'external_id'])
    .merge({
      environment_name: db.raw('excluded.environment_name'),
      environment_ref: db.raw('excluded.environment_ref'),
      version: db.raw('excluded.version'),
      commit_sha: db.raw('excluded.commit_sha'),
      // A commit time once known stays when a later sync could not read it again.
      committed_at: db.raw('coalesce(excluded.committed_at, ??.committed_at)', [
        TABLE,
      ]),
      status: db.raw('excluded.status'),
      deployed_at: db.raw('excluded.deployed_at'),
      deployed_by: db.raw('excluded.deployed_by'),
      url: db.raw('excluded.url'),
      synced_at: db.raw('excluded.synced_at'),
    });
}

/** Deployments of some entities or into some environments, newest first. */
export async function listDeployments(
  db: Knex,
  filter: { entityRefs?: string[]; environmentRefs?: string[]; limit: number },
): Promise<StoredDeployment[]> {
  const query = db<DeploymentRow>(TABLE)
    .orderBy('deployed_at', 'desc')
    .orderBy('id')
    .limit(filter.limit);
  if (filter.entityRefs) query.whereIn('entity_ref', filter.entityRefs);
  if (filter.environmentRefs) {
    query.whereIn('environment_ref', filter.environmentRefs);
  }
  return (await query).map(fromRow);
}

/**
 * What runs where: the latest successful deployment of each entity into each catalog
 * environment, for the given entities or environments.
 */
export async function latestSuccessfulDeployments(
  db: Knex,
  filter: { entityRefs?: string[]; environmentRefs?: string[] },
): Promise<StoredDeployment[]> {
  const ranked = db<DeploymentRow>(TABLE)
    .select('*')
    .select(
      db.raw(
        'row_number() over (partition by entity_ref, environment_ref order by deployed_at desc, id) as position',
      ),
    )
    .where('status', 'succeeded')
    .whereNotNull('environment_ref');
  if (filter.entityRefs) ranked.whereIn('entity_ref', filter.entityRefs);
  if (filter.environmentRefs) {
    ranked.whereIn('environment_ref', filter.environmentRefs);
  }
  const rows = await db
    .select('*')
    .from(ranked.as('ranked'))
    .where('position', 1)
    .orderBy(['entity_ref', 'environment_ref']);
  return rows.map(fromRow);
}

/**
 * Deployments of some entities into some catalog environments deployed since `since`, oldest
 * first: what the DORA metrics are computed from.
 */
export async function listDeploymentsSince(
  db: Knex,
  filter: { entityRefs: string[]; environmentRefs: string[]; since: Date },
): Promise<StoredDeployment[]> {
  if (filter.entityRefs.length === 0 || filter.environmentRefs.length === 0) {
    return [];
  }
  const rows = await db<DeploymentRow>(TABLE)
    .whereIn('entity_ref', filter.entityRefs)
    .whereIn('environment_ref', filter.environmentRefs)
    .where('deployed_at', '>=', filter.since)
    .orderBy('deployed_at')
    .orderBy('id');
  return rows.map(fromRow);
}

/** The catalog environments some entities have deployments in. */
export async function listDeployedEnvironments(
  db: Knex,
  entityRefs: string[],
): Promise<string[]> {
  if (entityRefs.length === 0) return [];
  const rows: Array<{ environment_ref: string }> = await db(TABLE)
    .distinct('environment_ref')
    .whereIn('entity_ref', entityRefs)
    .whereNotNull('environment_ref')
    .orderBy('environment_ref');
  return rows.map(row => row.environment_ref);
}
