import { Knex } from 'knex';
import { SloStateChange } from '../domain/dora';
import { SloSnapshot } from '../domain/sloHistory';
import { toDate } from './dates';

const TABLE = 'slo_snapshots';

interface SnapshotRow {
  entity_ref: string;
  slo_name: string;
  objective: string;
  environment_ref: string | null;
  at: Date | string | number;
  sli: number | null;
  budget_remaining: number | null;
  short_burn_rate: number | null;
  long_burn_rate: number | null;
  fast_burn: boolean | number;
  breached: boolean | number;
}

interface ChangeRow extends SnapshotRow {
  previous_fast_burn: boolean | number | null;
  previous_breached: boolean | number | null;
}

// Stored names are cut to the columns' size.
const MAX_NAME = 255;
/**
 * How far before `from` the state an objective was in is looked for. Snapshots are taken every
 * few minutes, so a day finds it; reading no further keeps the scan to about the period.
 */
const STATE_LOOKBACK_MS = 24 * 3600_000;

/** Adds snapshots to the SLO history. */
export async function recordSloSnapshots(
  db: Knex | Knex.Transaction,
  snapshots: SloSnapshot[],
): Promise<void> {
  if (snapshots.length === 0) return;
  await db(TABLE).insert(
    snapshots.map(
      (s): SnapshotRow => ({
        entity_ref: s.entityRef,
        slo_name: s.sloName.slice(0, MAX_NAME),
        objective: s.objective.slice(0, MAX_NAME),
        environment_ref: s.environmentRef ?? null,
        at: s.at,
        sli: s.sli ?? null,
        budget_remaining: s.budgetRemaining ?? null,
        short_burn_rate: s.shortBurnRate ?? null,
        long_burn_rate: s.longBurnRate ?? null,
        fast_burn: s.fastBurn,
        breached: s.breached,
      }),
    ),
  );
}

/**
 * The snapshots in `[from, to)` of some components' SLOs at which an objective's state (fast
 * burn, breached) changed, oldest first, each with the state before it: the first snapshot of
 * each objective, and each one that differs from the one before. The day before `from` is read
 * too, so a state that held before `from` is not mistaken for one that began at it.
 */
export async function listSloStateChanges(
  db: Knex | Knex.Transaction,
  filter: { entityRefs: string[]; from: Date; to: Date },
): Promise<SloStateChange[]> {
  if (filter.entityRefs.length === 0) return [];
  const series =
    'partition by entity_ref, slo_name, objective, environment_ref order by at, id';
  const withPrevious = db(TABLE)
    .select('*')
    .select(
      db.raw(`lag(fast_burn) over (${series}) as previous_fast_burn`),
      db.raw(`lag(breached) over (${series}) as previous_breached`),
    )
    .whereIn('entity_ref', filter.entityRefs)
    .where('at', '>=', new Date(filter.from.getTime() - STATE_LOOKBACK_MS))
    .where('at', '<', filter.to);
  const rows: ChangeRow[] = await db
    .select('*')
    .from(withPrevious.as('history'))
    .where('at', '>=', filter.from)
    .where(change =>
      change
        .whereNull('previous_fast_burn')
        .orWhereRaw('previous_fast_burn <> fast_burn')
        .orWhereRaw('previous_breached <> breached'),
    )
    .orderBy('at')
    .orderBy('id');
  return rows.map(row => ({
    entityRef: row.entity_ref,
    sloName: row.slo_name,
    objective: row.objective,
    environmentRef: row.environment_ref ?? undefined,
    at: toDate(row.at),
    sli: row.sli ?? undefined,
    budgetRemaining: row.budget_remaining ?? undefined,
    shortBurnRate: row.short_burn_rate ?? undefined,
    longBurnRate: row.long_burn_rate ?? undefined,
    fastBurn: Boolean(row.fast_burn),
    breached: Boolean(row.breached),
    previous:
      row.previous_fast_burn === null
        ? undefined
        : {
            fastBurn: Boolean(row.previous_fast_burn),
            breached: Boolean(row.previous_breached),
          },
  }));
}

/** Deletes the snapshots older than `before`; how many. */
export async function deleteSloSnapshotsBefore(
  db: Knex | Knex.Transaction,
  before: Date,
): Promise<number> {
  return db(TABLE).where('at', '<', before).delete();
}
