import {
  EnvironmentStatus,
  RefusalKind,
} from '@internal/plugin-environments-common';
import { Knex } from 'knex';
import { toDate } from './dates';

type Timestamp = Date | string | number;

// Bound parameters per statement stay well under SQLite's limit.
const IN_CHUNK = 500;

/** Runs `query` for each chunk of `refs` and concatenates the rows. */
async function inChunks<T>(
  refs: string[],
  query: (chunk: string[]) => Promise<T[]>,
): Promise<T[]> {
  const rows: T[] = [];
  for (let i = 0; i < refs.length; i += IN_CHUNK) {
    rows.push(...(await query(refs.slice(i, i + IN_CHUNK))));
  }
  return rows;
}

export interface Refusal {
  environmentRef: string;
  at: Date;
  kind: RefusalKind;
  requesterRef: string;
}

/** Records a refused booking request. */
export async function insertRefusal(
  db: Knex | Knex.Transaction,
  refusal: Refusal,
): Promise<void> {
  await db('booking_refusals').insert({
    environment_ref: refusal.environmentRef,
    at: refusal.at,
    kind: refusal.kind,
    requester_ref: refusal.requesterRef,
  });
}

/** Refusals of requests for the environments in `[from, to)`, oldest first. */
export async function listRefusals(
  db: Knex | Knex.Transaction,
  environmentRefs: string[],
  from: Date,
  to: Date,
): Promise<Refusal[]> {
  const rows = await inChunks(environmentRefs, chunk =>
    db('booking_refusals')
      .whereIn('environment_ref', chunk)
      .where('at', '>=', from)
      .where('at', '<', to)
      .orderBy('at')
      .orderBy('id'),
  );
  return rows.map(row => ({
    environmentRef: row.environment_ref,
    at: toDate(row.at),
    kind: row.kind as RefusalKind,
    requesterRef: row.requester_ref,
  }));
}

/** The health probes of the environments in `[from, to)`, oldest first: only what analytics needs. */
export async function listProbesBetween(
  db: Knex | Knex.Transaction,
  environmentRefs: string[],
  from: Date,
  to: Date,
): Promise<Array<{ environmentRef: string; at: Date; ok: boolean }>> {
  const rows = await inChunks(environmentRefs, chunk =>
    db('health_checks')
      .select('environment_ref', 'checked_at', 'ok')
      .whereIn('environment_ref', chunk)
      .where('checked_at', '>=', from)
      .where('checked_at', '<', to)
      .orderBy('checked_at')
      .orderBy('id'),
  );
  return rows.map(
    (row: { environment_ref: string; checked_at: Timestamp; ok: unknown }) => ({
      environmentRef: row.environment_ref,
      at: toDate(row.checked_at),
      ok: Boolean(row.ok),
    }),
  );
}

/**
 * Bookings of the environments that were approved after waiting for a decision, decided in
 * `[from, to)`: they carry a decision and were not rejected (an approved booking may since
 * have been released, expired or cancelled).
 */
export async function listApprovals(
  db: Knex | Knex.Transaction,
  environmentRefs: string[],
  from: Date,
  to: Date,
): Promise<
  Array<{ environmentRef: string; requestedAt: Date; approvedAt: Date }>
> {
  const rows = await inChunks(environmentRefs, chunk =>
    db('bookings')
      .select('environment_ref', 'created_at', 'decided_at')
      .whereIn('environment_ref', chunk)
      .whereNot('status', 'rejected')
      .where('decided_at', '>=', from)
      .where('decided_at', '<', to),
  );
  return rows.map(
    (row: {
      environment_ref: string;
      created_at: Timestamp;
      decided_at: Timestamp;
    }) => ({
      environmentRef: row.environment_ref,
      requestedAt: toDate(row.created_at),
      approvedAt: toDate(row.decided_at),
    }),
  );
}

/**
 * When deployments to the environments happened in `[from, to)`, oldest first, whatever their
 * outcome: the deployment activity idle time is measured against.
 */
export async function listDeploymentTimes(
  db: Knex | Knex.Transaction,
  environmentRefs: string[],
  from: Date,
  to: Date,
): Promise<Array<{ environmentRef: string; at: Date }>> {
  const rows = await inChunks(environmentRefs, chunk =>
    db('deployments')
      .select('environment_ref', 'deployed_at')
      .whereIn('environment_ref', chunk)
      .where('deployed_at', '>=', from)
      .where('deployed_at', '<', to)
      .orderBy('deployed_at'),
  );
  return rows.map(
    (row: { environment_ref: string; deployed_at: Timestamp }) => ({
      environmentRef: row.environment_ref,
      at: toDate(row.deployed_at),
    }),
  );
}

/** The last deployment to each of the environments that has one, by environment ref. */
export async function lastDeploymentTimes(
  db: Knex | Knex.Transaction,
  environmentRefs: string[],
): Promise<Map<string, Date>> {
  const rows = await inChunks(environmentRefs, chunk =>
    db('deployments')
      .select('environment_ref')
      .max({ last: 'deployed_at' })
      .whereIn('environment_ref', chunk)
      .groupBy('environment_ref'),
  );
  return new Map(
    (rows as Array<{ environment_ref: string; last: Timestamp }>).map(row => [
      row.environment_ref,
      toDate(row.last),
    ]),
  );
}

/**
 * Status changes of the environments before `to`, oldest first, from the audit log's
 * `environment-update` events (an administrator's changes of an environment's state); events
 * that left the status as it was are skipped.
 */
export async function listStatusChanges(
  db: Knex | Knex.Transaction,
  environmentRefs: string[],
  to: Date,
): Promise<
  Array<{
    environmentRef: string;
    at: Date;
    from: EnvironmentStatus;
    to: EnvironmentStatus;
  }>
> {
  const rows = await inChunks(environmentRefs, chunk =>
    db('audit_events')
      .select('environment_ref', 'at', 'before', 'after')
      .where('action', 'environment-update')
      .whereIn('environment_ref', chunk)
      .where('at', '<', to)
      .orderBy('at')
      .orderBy('id'),
  );
  const statusIn = (json: string | null): EnvironmentStatus | undefined =>
    json === null ? undefined : JSON.parse(json).status;
  return rows.flatMap(
    (row: {
      environment_ref: string;
      at: Timestamp;
      before: string | null;
      after: string | null;
    }) => {
      const from = statusIn(row.before);
      const after = statusIn(row.after);
      return from && after && from !== after
        ? [
            {
              environmentRef: row.environment_ref,
              at: toDate(row.at),
              from,
              to: after,
            },
          ]
        : [];
    },
  );
}
