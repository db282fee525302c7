import { Knex } from 'knex';
import { EnvironmentSnapshot } from '../domain/environments';
import { CurrentHealth, ProbeResult } from '../domain/health';
import { toDate } from './dates';
import { currentHealthOf, newEnvironmentRow } from './environmentsStore';

/** A probe as stored: what it found, and the HTTP status when there was an answer. */
export interface StoredProbe extends ProbeResult {
  environmentRef: string;
  httpStatus?: number;
}

interface HealthCheckRow {
  environment_ref: string;
  checked_at: Date | string | number;
  ok: boolean | number;
  http_status: number | null;
  latency_ms: number | null;
  reason: string | null;
}

// Stored reasons are cut to the column's size.
const MAX_REASON = 255;

/** Adds probes to the history. */
export async function recordProbes(
  db: Knex | Knex.Transaction,
  probes: StoredProbe[],
): Promise<void> {
  if (probes.length === 0) return;
  await db('health_checks').insert(
    probes.map(probe => ({
      environment_ref: probe.environmentRef,
      checked_at: probe.at,
      ok: probe.ok,
      http_status: probe.httpStatus ?? null,
      latency_ms: probe.latencyMs ?? null,
      reason: probe.reason?.slice(0, MAX_REASON) ?? null,
    })),
  );
}

/** An environment's newest probes, newest first. */
export async function listRecentProbes(
  db: Knex | Knex.Transaction,
  environmentRef: string,
  limit: number,
): Promise<StoredProbe[]> {
  const rows: HealthCheckRow[] = await db<HealthCheckRow>('health_checks')
    .select()
    .where('environment_ref', environmentRef)
    .orderBy('checked_at', 'desc')
    .limit(limit);
  return rows.map(row => ({
    environmentRef: row.environment_ref,
    at: toDate(row.checked_at),
    ok: Boolean(row.ok),
    httpStatus: row.http_status ?? undefined,
    latencyMs: row.latency_ms ?? undefined,
    reason: row.reason ?? undefined,
  }));
}

/** The stored current health of each environment that has been probed, by entity ref. */
export async function getCurrentHealth(
  db: Knex | Knex.Transaction,
  entityRefs: string[],
): Promise<Map<string, CurrentHealth>> {
  const health = new Map<string, CurrentHealth>();
  // Chunks keep each query under SQLite's bound-parameter limit.
  for (let i = 0; i < entityRefs.length; i += 500) {
    const rows = await db('environments')
      .select(
        'entity_ref',
        'health_status',
        'health_since',
        'health_checked_at',
        'health_reason',
      )
      .whereIn('entity_ref', entityRefs.slice(i, i + 500))
      .whereNotNull('health_status');
    for (const row of rows) {
      health.set(row.entity_ref, currentHealthOf(row)!);
    }
  }
  return health;
}

/**
 * Stores an environment's current health. An environment the catalog sync has not stored yet
 * gets its row now, available, as a booking would give it.
 */
export async function storeCurrentHealth(
  db: Knex | Knex.Transaction,
  snapshot: EnvironmentSnapshot,
  health: CurrentHealth,
  now: Date,
): Promise<void> {
  const columns = {
    health_status: health.status,
    health_since: health.since ?? null,
    health_checked_at: health.checkedAt ?? null,
    health_reason: health.reason?.slice(0, MAX_REASON) ?? null,
  };
  await db('environments')
    .insert({ ...newEnvironmentRow(snapshot, now), ...columns })
    .onConflict('entity_ref')
    .merge(Object.keys(columns));
}

/** Deletes probes older than `before`; how many. */
export async function deleteProbesBefore(
  db: Knex | Knex.Transaction,
  before: Date,
): Promise<number> {
  return db('health_checks').where('checked_at', '<', before).delete();
}
