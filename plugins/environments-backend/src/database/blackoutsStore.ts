import { Knex } from 'knex';
import { NewBlackout, StoredBlackout } from '../domain/blackouts';
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
}

const TABLE = 'blackouts';

export async function insertBlackout(
  db: Knex | Knex.Transaction,
  blackout: NewBlackout & { id: string; createdByRef: string },
  now: Date,
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
    created_at: now,
  };
  await db(TABLE).insert(row);
  return toBlackout(row);
}

/** Deletes a blackout; false when there was none with that id. */
export async function getBlackout(
  db: Knex | Knex.Transaction,
  id: string,
): Promise<StoredBlackout | undefined> {
  const row = await db<BlackoutRow>(TABLE).where('id', id).first();
  return row && toBlackout(row);
}

export async function deleteBlackout(
  db: Knex | Knex.Transaction,
  id: string,
): Promise<void> {
  await db(TABLE).where('id', id).delete();
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
  };
}
