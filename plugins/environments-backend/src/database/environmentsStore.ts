import {
  EnvironmentOverrides,
  EnvironmentStatus,
  HealthStatus,
} from '@internal/plugin-environments-common';
import { Knex } from 'knex';
import { EnvironmentSnapshot, EnvironmentState } from '../domain/environments';
import { CurrentHealth } from '../domain/health';
import { toDate } from './dates';

/** A row of `environments` as the drivers return it (timestamps and booleans differ by database). */
interface EnvironmentRow {
  entity_ref: string;
  title: string | null;
  tier: string;
  owner_ref: string | null;
  system_ref: string | null;
  bookable: boolean | number;
  capacity: number | string;
  status: string;
  status_changed_at: Date | string | number;
  first_seen_at: Date | string | number;
  last_seen_at: Date | string | number;
  removed_at: Date | string | number | null;
  bookable_override?: boolean | number | null;
  capacity_override?: number | string | null;
  /** JSON array of component refs. */
  component_slots_override?: string | null;
  health_status?: string | null;
  health_since?: Date | string | number | null;
  health_checked_at?: Date | string | number | null;
  health_reason?: string | null;
}

export interface SyncResult {
  /** Environments stored or refreshed from the catalog. */
  seen: number;
  /** Environments newly marked as gone from the catalog. */
  removed: number;
}

const TABLE = 'environments';
// Rows per insert statement: 12 columns each keeps well under SQLite's bound-parameter limit.
const INSERT_CHUNK = 200;

/**
 * Stores the catalog's current environments: new ones are added as available, known ones get
 * their catalog facts refreshed (their status and an administrator's overrides, in columns of
 * their own, are left alone), and ones missing from the catalog
 * are marked removed, never deleted, so that their history stays.
 */
export async function syncEnvironments(
  tx: Knex.Transaction,
  snapshots: EnvironmentSnapshot[],
  now: Date,
): Promise<SyncResult> {
  for (let i = 0; i < snapshots.length; i += INSERT_CHUNK) {
    const rows = snapshots
      .slice(i, i + INSERT_CHUNK)
      .map(snapshot => newEnvironmentRow(snapshot, now));
    await tx(TABLE)
      .insert(rows)
      .onConflict('entity_ref')
      .merge([
        'title',
        'tier',
        'owner_ref',
        'system_ref',
        'bookable',
        'capacity',
        'last_seen_at',
        'removed_at',
      ]);
  }

  const seenRefs = new Set(snapshots.map(s => s.entityRef));
  const present: Array<{ entity_ref: string }> = await tx(TABLE)
    .select('entity_ref')
    .whereNull('removed_at');
  const goneRefs = present
    .map(r => r.entity_ref)
    .filter(ref => !seenRefs.has(ref));
  for (let i = 0; i < goneRefs.length; i += INSERT_CHUNK) {
    await tx(TABLE)
      .update({ removed_at: now })
      .whereIn('entity_ref', goneRefs.slice(i, i + INSERT_CHUNK));
  }
  return { seen: seenRefs.size, removed: goneRefs.length };
}

/**
 * Makes sure the environment has a row and locks it until the transaction ends, so that
 * concurrent bookings of one environment are checked and inserted one after the other.
 * PostgreSQL takes a row lock. SQLite has no row locks: Backstage gives it a single connection,
 * so its transactions run one after the other. Returns the
 * locked state, read by the same statement: a booking costs one round trip less.
 */
export async function lockEnvironment(
  tx: Knex.Transaction,
  snapshot: EnvironmentSnapshot,
  now: Date,
): Promise<EnvironmentState> {
  // Nearly always the row exists: lock it in one statement, and insert only the first time.
  const existing = await lockStoredEnvironment(tx, snapshot.entityRef);
  if (existing) return existing;
  await tx(TABLE)
    .insert(newEnvironmentRow(snapshot, now))
    .onConflict('entity_ref')
    .ignore();
  return (await lockStoredEnvironment(tx, snapshot.entityRef))!;
}

/**
 * Locks an environment's existing row until the transaction ends (see `lockEnvironment`);
 * its state, or undefined when it has no row.
 */
export async function lockStoredEnvironment(
  tx: Knex.Transaction,
  entityRef: string,
): Promise<EnvironmentState | undefined> {
  const query = tx<EnvironmentRow>(TABLE)
    .select()
    .where('entity_ref', entityRef);
  const [row] = await (tx.client.config.client === 'pg'
    ? query.forUpdate()
    : query);
  return row && toState(row);
}

/** Stored states of the given environments (all when `entityRefs` is omitted), by entity ref. */
export async function getEnvironmentStates(
  db: Knex | Knex.Transaction,
  entityRefs?: string[],
): Promise<Map<string, EnvironmentState>> {
  const rows: EnvironmentRow[] = [];
  if (entityRefs === undefined) {
    rows.push(...(await db<EnvironmentRow>(TABLE).select()));
  } else {
    for (let i = 0; i < entityRefs.length; i += INSERT_CHUNK) {
      rows.push(
        ...(await db<EnvironmentRow>(TABLE)
          .select()
          .whereIn('entity_ref', entityRefs.slice(i, i + INSERT_CHUNK))),
      );
    }
  }
  return new Map(rows.map(row => [row.entity_ref, toState(row)]));
}

/** The row of an environment the plugin has not stored before: available from now on. */
export function newEnvironmentRow(
  snapshot: EnvironmentSnapshot,
  now: Date,
): EnvironmentRow {
  return {
    entity_ref: snapshot.entityRef,
    title: snapshot.title ?? null,
    tier: snapshot.tier,
    owner_ref: snapshot.ownerRef ?? null,
    system_ref: snapshot.systemRef ?? null,
    bookable: snapshot.bookable,
    capacity: snapshot.capacity,
    status: 'available',
    status_changed_at: now,
    first_seen_at: now,
    last_seen_at: now,
    removed_at: null,
  };
}

/**
 * Sets an environment's status and overrides, as an administrator changed them; `null` clears an
 * override, absent fields stay. The row must exist (see `lockEnvironment`).
 */
export async function updateEnvironmentState(
  tx: Knex.Transaction,
  entityRef: string,
  change: {
    status?: EnvironmentStatus;
    bookable?: boolean | null;
    capacity?: number | null;
    componentSlots?: string[] | null;
  },
  now: Date,
): Promise<EnvironmentState> {
  const update: Partial<EnvironmentRow> = {};
  if (change.status !== undefined) {
    update.status = change.status;
    update.status_changed_at = now;
  }
  if (change.bookable !== undefined) update.bookable_override = change.bookable;
  if (change.capacity !== undefined) update.capacity_override = change.capacity;
  if (change.componentSlots !== undefined) {
    update.component_slots_override =
      change.componentSlots && JSON.stringify(change.componentSlots);
  }
  if (Object.keys(update).length > 0) {
    await tx(TABLE).update(update).where('entity_ref', entityRef);
  }
  return (await lockStoredEnvironment(tx, entityRef))!;
}

/** What an administrator set over the catalog's values, from the override columns. */
function overridesOf(row: EnvironmentRow): EnvironmentOverrides {
  const overrides: EnvironmentOverrides = {};
  if (row.bookable_override !== null && row.bookable_override !== undefined) {
    overrides.bookable = Boolean(row.bookable_override);
  }
  if (row.capacity_override !== null && row.capacity_override !== undefined) {
    overrides.capacity = Number(row.capacity_override);
  }
  if (row.component_slots_override) {
    overrides.componentSlots = JSON.parse(row.component_slots_override);
  }
  return overrides;
}

function toState(row: EnvironmentRow): EnvironmentState {
  const overrides = overridesOf(row);
  return {
    entityRef: row.entity_ref,
    title: row.title ?? undefined,
    tier: row.tier,
    ownerRef: row.owner_ref ?? undefined,
    systemRef: row.system_ref ?? undefined,
    bookable: overrides.bookable ?? Boolean(row.bookable),
    capacity: overrides.capacity ?? Number(row.capacity),
    overrides,
    status: row.status as EnvironmentStatus,
    statusChangedAt: toDate(row.status_changed_at),
    firstSeenAt: toDate(row.first_seen_at),
    lastSeenAt: toDate(row.last_seen_at),
    removedAt: row.removed_at === null ? undefined : toDate(row.removed_at),
    health: currentHealthOf(row),
  };
}

/** The health stored in an environment's row by the health checks; undefined before the first. */
export function currentHealthOf(
  row: Pick<
    EnvironmentRow,
    'health_status' | 'health_since' | 'health_checked_at' | 'health_reason'
  >,
): CurrentHealth | undefined {
  if (!row.health_status) return undefined;
  return {
    status: row.health_status as HealthStatus,
    since: row.health_since ? toDate(row.health_since) : undefined,
    checkedAt: row.health_checked_at
      ? toDate(row.health_checked_at)
      : undefined,
    reason: row.health_reason ?? undefined,
  };
}
