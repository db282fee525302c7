import {
  BookingPurpose,
  BookingStatus,
} from '@internal/plugin-environments-common';
import { Knex } from 'knex';
import { NewBooking, StoredBooking } from '../domain/bookings';
import { toDate } from './dates';

interface BookingRow {
  id: string;
  environment_ref: string;
  component_ref?: string | null;
  requester_ref: string;
  team_ref: string | null;
  title: string;
  purpose: string;
  reason: string | null;
  external_link: string | null;
  starts_at: Date | string | number;
  ends_at: Date | string | number;
  status: string;
  original_ends_at: Date | string | number;
  extension_count: number | string;
  decided_by_ref?: string | null;
  decided_at?: Date | string | number | null;
  decision_note?: string | null;
  series_id?: string | null;
  idle_offered_at?: Date | string | number | null;
  idle_kept_at?: Date | string | number | null;
  release_reason?: string | null;
  created_at: Date | string | number;
  updated_at: Date | string | number;
}

const TABLE = 'bookings';
/** Statuses that hold an environment. */
const HOLDING: BookingStatus[] = ['approved'];
// Bound parameters per statement stay well under SQLite's limit.
const IN_CHUNK = 500;

/** Bookings holding any of the environments at some instant of `[from, to)`, earliest first. */
export async function listHoldingBookings(
  db: Knex | Knex.Transaction,
  environmentRefs: string[],
  from: Date,
  to: Date,
  statuses: BookingStatus[] = HOLDING,
): Promise<StoredBooking[]> {
  const rows: BookingRow[] = [];
  for (let i = 0; i < environmentRefs.length; i += IN_CHUNK) {
    rows.push(
      ...(await db<BookingRow>(TABLE)
        .whereIn('environment_ref', environmentRefs.slice(i, i + IN_CHUNK))
        .whereIn('status', statuses)
        .where('starts_at', '<', to)
        .where('ends_at', '>', from)
        .orderBy('starts_at')),
    );
  }
  return rows.map(toBooking);
}

/**
 * The same bookings as `listHoldingBookings`, as bare intervals in epoch milliseconds: all a
 * free-slot search needs. A search over hundreds of busy environments reads tens of thousands
 * of them, so it fetches three columns and lets PostgreSQL send numbers rather than
 * timestamps to parse.
 */
export async function listHeldIntervals(
  db: Knex | Knex.Transaction,
  environmentRefs: string[],
  from: Date,
  to: Date,
): Promise<Array<{ environmentRef: string; start: number; end: number }>> {
  const epochMs = (column: string) =>
    db.client.config.client === 'pg'
      ? db.raw(`(extract(epoch from ??) * 1000)::float8 as ??`, [
          column,
          column,
        ])
      : column;
  const rows: Array<{
    environment_ref: string;
    starts_at: number;
    ends_at: number;
  }> = [];
  for (let i = 0; i < environmentRefs.length; i += IN_CHUNK) {
    rows.push(
      ...(await db(TABLE)
        .select('environment_ref', epochMs('starts_at'), epochMs('ends_at'))
        .whereIn('environment_ref', environmentRefs.slice(i, i + IN_CHUNK))
        .whereIn('status', HOLDING)
        .where('starts_at', '<', to)
        .where('ends_at', '>', from)),
    );
  }
  return rows.map(row => ({
    environmentRef: row.environment_ref,
    start: toDate(row.starts_at).getTime(),
    end: toDate(row.ends_at).getTime(),
  }));
}

/**
 * What environment cards show, per environment: the approved or pending bookings holding it at
 * `now`, and its next `upcoming` bookings starting before `horizon`. Ranked in SQL, so a busy
 * fortnight of hundreds of environments does not travel to the backend only to be cut.
 */
export async function listCurrentAndUpcomingBookings(
  db: Knex | Knex.Transaction,
  environmentRefs: string[],
  now: Date,
  horizon: Date,
  upcoming: number,
): Promise<StoredBooking[]> {
  const shown: BookingStatus[] = ['approved', 'pending'];
  const rows: BookingRow[] = [];
  for (let i = 0; i < environmentRefs.length; i += IN_CHUNK) {
    const refs = environmentRefs.slice(i, i + IN_CHUNK);
    const [current, next] = await Promise.all([
      db<BookingRow>(TABLE)
        .whereIn('environment_ref', refs)
        .whereIn('status', shown)
        .where('starts_at', '<=', now)
        .where('ends_at', '>', now)
        .orderBy('starts_at'),
      nextBookings(db, refs, shown, now, horizon, upcoming),
    ]);
    rows.push(...current, ...next);
  }
  return rows.map(toBooking);
}

/**
 * The first `upcoming` bookings per environment starting in `(now, horizon)`. PostgreSQL walks
 * each environment's index with a LIMIT (a lateral join), so a busy fortnight costs a few rows
 * per environment; SQLite, which has no lateral joins, ranks the fortnight's bookings instead.
 */
async function nextBookings(
  db: Knex | Knex.Transaction,
  refs: string[],
  statuses: BookingStatus[],
  now: Date,
  horizon: Date,
  upcoming: number,
): Promise<BookingRow[]> {
  if (db.client.config.client === 'pg') {
    const { rows } = await db.raw(
      `SELECT b.* FROM unnest(?::text[]) AS e(ref)
       CROSS JOIN LATERAL (
         SELECT * FROM ${TABLE}
         WHERE environment_ref = e.ref AND status = ANY(?::text[])
           AND starts_at > ? AND starts_at < ?
         ORDER BY starts_at, id LIMIT ?
       ) AS b`,
      [refs, statuses, now, horizon, upcoming],
    );
    return rows;
  }
  return db
    .select('*')
    .from(
      db<BookingRow>(TABLE)
        .select(
          '*',
          db.raw(
            'row_number() over (partition by environment_ref order by starts_at, id) as position',
          ),
        )
        .whereIn('environment_ref', refs)
        .whereIn('status', statuses)
        .where('starts_at', '>', now)
        .where('starts_at', '<', horizon)
        .as('ranked'),
    )
    .where('position', '<=', upcoming);
}

export async function insertBooking(
  tx: Knex.Transaction,
  booking: NewBooking & {
    id: string;
    requesterRef: string;
    status: BookingStatus;
    seriesId?: string;
  },
  now: Date,
): Promise<StoredBooking> {
  const row: BookingRow = {
    id: booking.id,
    environment_ref: booking.environmentRef,
    component_ref: booking.componentRef ?? null,
    requester_ref: booking.requesterRef,
    team_ref: booking.teamRef ?? null,
    title: booking.title,
    purpose: booking.purpose,
    reason: booking.reason ?? null,
    external_link: booking.externalLink ?? null,
    starts_at: booking.start,
    ends_at: booking.end,
    status: booking.status,
    original_ends_at: booking.end,
    extension_count: 0,
    series_id: booking.seriesId ?? null,
    created_at: now,
    updated_at: now,
  };
  await tx(TABLE).insert(row);
  return toBooking(row);
}

export async function getBooking(
  db: Knex | Knex.Transaction,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<StoredBooking | undefined> {
  const query = db<BookingRow>(TABLE).where('id', id).first();
  // Only PostgreSQL has row locks; SQLite serialises write transactions.
  if (options.forUpdate && db.client.config.client === 'pg') query.forUpdate();
  const row = await query;
  return row && toBooking(row);
}

/** Filters of `listBookings`; all optional, combined with AND. */
export interface BookingFilter {
  environmentRef?: string;
  /** Any of these environments (e.g. those a component runs in). */
  environmentRefs?: string[];
  requesterRef?: string;
  teamRef?: string;
  /** Only bookings overlapping `[from, to)`. */
  from?: Date;
  to?: Date;
  statuses?: BookingStatus[];
  limit: number;
  /** Bookings to skip, for the next page. */
  offset?: number;
}

export async function listBookings(
  db: Knex | Knex.Transaction,
  filter: BookingFilter,
): Promise<StoredBooking[]> {
  // Ordered by start, then id, so pages do not overlap or skip when starts are equal.
  const query = db<BookingRow>(TABLE)
    .orderBy('starts_at')
    .orderBy('id')
    .limit(filter.limit)
    .offset(filter.offset ?? 0);
  if (filter.environmentRef)
    query.where('environment_ref', filter.environmentRef);
  if (filter.environmentRefs)
    query.whereIn('environment_ref', filter.environmentRefs);
  if (filter.requesterRef) query.where('requester_ref', filter.requesterRef);
  if (filter.teamRef) query.where('team_ref', filter.teamRef);
  if (filter.from) query.where('ends_at', '>', filter.from);
  if (filter.to) query.where('starts_at', '<', filter.to);
  if (filter.statuses) query.whereIn('status', filter.statuses);
  return (await query).map(toBooking);
}

/** What may change on a booking after its creation. */
export interface BookingPatch {
  status: BookingStatus;
  end?: Date;
  extensionCount?: number;
  decision?: { byRef: string; at: Date; note?: string };
  /** Set when the plugin releases a booking, e.g. `idle`. */
  releaseReason?: 'idle';
  /** A new holder, set by an admin's reassignment. */
  requesterRef?: string;
  teamRef?: string;
}

export async function updateBooking(
  tx: Knex.Transaction,
  id: string,
  patch: BookingPatch,
  now: Date,
): Promise<StoredBooking> {
  await tx(TABLE)
    .where('id', id)
    .update({
      status: patch.status,
      ...(patch.end && { ends_at: patch.end }),
      ...(patch.extensionCount !== undefined && {
        extension_count: patch.extensionCount,
      }),
      ...(patch.decision && {
        decided_by_ref: patch.decision.byRef,
        decided_at: patch.decision.at,
        decision_note: patch.decision.note ?? null,
      }),
      ...(patch.releaseReason && { release_reason: patch.releaseReason }),
      ...(patch.requesterRef && { requester_ref: patch.requesterRef }),
      ...(patch.teamRef && { team_ref: patch.teamRef }),
      updated_at: now,
    });
  return (await getBooking(tx, id))!;
}

/** Marks bookings that have run to their end as expired; returns how many. */
export async function expireEndedBookings(
  db: Knex | Knex.Transaction,
  now: Date,
): Promise<number> {
  return db(TABLE)
    .where('status', 'approved')
    .where('ends_at', '<=', now)
    .update({ status: 'expired', updated_at: now });
}

function toBooking(row: BookingRow): StoredBooking {
  return {
    id: row.id,
    environmentRef: row.environment_ref,
    componentRef: row.component_ref ?? undefined,
    requesterRef: row.requester_ref,
    teamRef: row.team_ref ?? undefined,
    title: row.title,
    purpose: row.purpose as BookingPurpose,
    reason: row.reason ?? undefined,
    externalLink: row.external_link ?? undefined,
    start: toDate(row.starts_at),
    end: toDate(row.ends_at),
    status: row.status as BookingStatus,
    originalEnd: toDate(row.original_ends_at),
    extensionCount: Number(row.extension_count),
    decidedByRef: row.decided_by_ref ?? undefined,
    decidedAt: row.decided_at ? toDate(row.decided_at) : undefined,
    decisionNote: row.decision_note ?? undefined,
    seriesId: row.series_id ?? undefined,
    idleOfferedAt: row.idle_offered_at
      ? toDate(row.idle_offered_at)
      : undefined,
    idleKeptAt: row.idle_kept_at ? toDate(row.idle_kept_at) : undefined,
    releaseReason: row.release_reason === 'idle' ? 'idle' : undefined,
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
  };
}

/** Stores a series' rule; its occurrences are inserted as bookings pointing at it. */
export async function insertSeries(
  tx: Knex.Transaction,
  series: { id: string; rrule: string; requesterRef: string; createdAt: Date },
): Promise<string> {
  await tx('booking_series').insert({
    id: series.id,
    rrule: series.rrule,
    requester_ref: series.requesterRef,
    created_at: series.createdAt,
  });
  return series.id;
}

/** Approved bookings ending in `(from, to]` whose holder has not been reminded yet. */
export async function listBookingsEndingSoon(
  db: Knex | Knex.Transaction,
  from: Date,
  to: Date,
): Promise<StoredBooking[]> {
  return (
    await db<BookingRow>(TABLE)
      .where('status', 'approved')
      .whereNull('reminder_sent_at')
      .where('ends_at', '>', from)
      .where('ends_at', '<=', to)
  ).map(toBooking);
}

export async function markReminded(
  db: Knex | Knex.Transaction,
  ids: string[],
  now: Date,
): Promise<void> {
  for (let i = 0; i < ids.length; i += IN_CHUNK) {
    await db(TABLE)
      .whereIn('id', ids.slice(i, i + IN_CHUNK))
      .update({ reminder_sent_at: now });
  }
}

/**
 * A team's approved or pending bookings: those made by one of `requesterRefs` (its members) or
 * for one of `teamRefs` (its groups). `current` hold at `now`; `upcoming` are the first
 * `upcoming` starting after it, earliest first.
 */
export async function listTeamBookings(
  db: Knex | Knex.Transaction,
  team: { requesterRefs: string[]; teamRefs: string[] },
  now: Date,
  upcoming: number,
): Promise<{ current: StoredBooking[]; upcoming: StoredBooking[] }> {
  const shown: BookingStatus[] = ['approved', 'pending'];
  const byId = new Map<string, BookingRow>();
  const next = new Map<string, BookingRow>();
  // Every chunk of members also matches the team's own bookings: the map keeps each once.
  let i = 0;
  do {
    const requesterRefs = team.requesterRefs.slice(i, i + IN_CHUNK);
    const ofTeam = () =>
      db<BookingRow>(TABLE)
        .whereIn('status', shown)
        .where(q =>
          q
            .whereIn('requester_ref', requesterRefs)
            .orWhereIn('team_ref', team.teamRefs),
        );
    const [currentRows, nextRows] = await Promise.all([
      ofTeam().where('starts_at', '<=', now).where('ends_at', '>', now),
      ofTeam()
        .where('starts_at', '>', now)
        .orderBy('starts_at')
        .orderBy('id')
        .limit(upcoming),
    ]);
    currentRows.forEach(row => byId.set(row.id, row));
    nextRows.forEach(row => next.set(row.id, row));
    i += IN_CHUNK;
  } while (i < team.requesterRefs.length);
  const bookings = (rows: Iterable<BookingRow>) =>
    [...rows]
      .map(toBooking)
      .sort(
        (a, b) =>
          a.start.getTime() - b.start.getTime() || a.id.localeCompare(b.id),
      );
  return {
    current: bookings(byId.values()),
    upcoming: bookings(next.values()).slice(0, upcoming),
  };
}

/** Approved bookings running at `now` (started, not ended): those idle release looks at. */
export async function listRunningBookings(
  db: Knex | Knex.Transaction,
  now: Date,
): Promise<StoredBooking[]> {
  return (
    await db<BookingRow>(TABLE)
      .where('status', 'approved')
      .where('starts_at', '<=', now)
      .where('ends_at', '>', now)
      .orderBy('starts_at')
      .orderBy('id')
  ).map(toBooking);
}

/**
 * Opens an idle offer (`offeredAt`), or closes it (null) and, when the holder kept the
 * booking, restarts its idle clock (`keptAt`). Only while the booking is still approved, and
 * an offer is opened only where none is open: false when nothing changed (another replica or
 * request got there first).
 */
export async function updateIdleOffer(
  db: Knex | Knex.Transaction,
  id: string,
  change: { offeredAt: Date } | { offeredAt: null; keptAt?: Date },
  now: Date,
): Promise<boolean> {
  const query = db(TABLE).where('id', id).where('status', 'approved');
  if (change.offeredAt) query.whereNull('idle_offered_at');
  const updated = await query.update({
    idle_offered_at: change.offeredAt,
    ...('keptAt' in change && change.keptAt && { idle_kept_at: change.keptAt }),
    updated_at: now,
  });
  return updated > 0;
}
