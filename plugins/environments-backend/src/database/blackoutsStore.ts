import { Knex } from 'knex';
import { StoredBlackout } from '../domain/blackouts';
import { toDate } from './dates';

interface BlackoutRow {
  id: string;
  scope: string;
  scope_key: string;
  kind: string;
  title: string;
  reason: string | null;
  starts_at: Date | string | number;
  ends_at: Date | string | number;
  created_by_ref: string;
  created_at: Date | string | number;
  series_id: string | null;
  rrule: string | null;
}

const TABLE = 'blackouts';

export async function insertBlackout(
  db: Knex | Knex.Transaction,
  blackout: StoredBlackout,
): Promise<StoredBlackout> {
  const row: BlackoutRow = {
    id: blackout.id,
    scope: blackout.scope,
    scope_key: blackout.scopeKey,
    kind: blackout.kind,
    title: blackout.title,
    reason: blackout.reason ?? null,
    starts_at: blackout.start,
    ends_at: blackout.end,
    created_by_ref: blackout.createdByRef,
    created_at: blackout.createdAt,
    series_id: blackout.seriesId ?? null,
    rrule: blackout.rrule ?? null,
  };
  await db(TABLE).insert(row);
  return toBlackout(row);
}

/** A blackout by id; `forUpdate` locks its row until the transaction ends (PostgreSQL). */
export async function getBlackout(
  db: Knex | Knex.Transaction,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<StoredBlackout | undefined> {
  const query = db<BlackoutRow>(TABLE).where('id', id).first();
  // Only PostgreSQL has row locks; SQLite serialises write transactions.
  if (options.forUpdate && db.client.config.client === 'pg') query.forUpdate();
  const row = await query;
  return row && toBlackout(row);
}

/** The occurrences of a series that start at or after `from`, earliest first. */
export async function listSeriesOccurrences(
  db: Knex | Knex.Transaction,
  seriesId: string,
  from: Date,
): Promise<StoredBlackout[]> {
  const rows = await db<BlackoutRow>(TABLE)
    .where('series_id', seriesId)
    .where('starts_at', '>=', from)
    .orderBy('starts_at');
  return rows.map(toBlackout);
}

export async function deleteBlackouts(
  db: Knex | Knex.Transaction,
  ids: string[],
): Promise<void> {
  await db(TABLE).whereIn('id', ids).delete();
}

/**
 * Blackouts overlapping `[from, to)` that cover any of the given environments or tiers (all of
 * them when neither is given), earliest first.
 */
export async function listBlackouts(
  db: Knex | Knex.Transaction,
  filter: {
    environmentRefs?: string[];
    tiers?: string[];
    from: Date;
    to: Date;
  },
): Promise<StoredBlackout[]> {
  const query = db<BlackoutRow>(TABLE)
    .where('starts_at', '<', filter.to)
    .where('ends_at', '>', filter.from)
    .orderBy('starts_at');
  if (filter.environmentRefs || filter.tiers) {
    query.where(inner => {
      inner
        .where(q =>
          q
            .where('scope', 'environment')
            .whereIn('scope_key', filter.environmentRefs ?? []),
        )
        .orWhere(q =>
          q.where('scope', 'tier').whereIn('scope_key', filter.tiers ?? []),
        );
    });
  }
  return (await query).map(toBlackout);
}

function toBlackout(row: BlackoutRow): StoredBlackout {
  return {
    id: row.id,
    scope: row.scope as StoredBlackout['scope'],
    scopeKey: row.scope_key,
    kind: row.kind as StoredBlackout['kind'],
    title: row.title,
    reason: row.reason ?? undefined,
    start: toDate(row.starts_at),
    end: toDate(row.ends_at),
    createdByRef: row.created_by_ref,
    createdAt: toDate(row.created_at),
    seriesId: row.series_id ?? undefined,
    rrule: row.rrule ?? undefined,
  };
}
