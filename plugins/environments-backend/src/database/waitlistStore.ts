import {
  BookingPurpose,
  WaitlistEntry,
} from '@internal/plugin-environments-common';
import { Knex } from 'knex';
import { toDate } from './dates';

interface WaitlistRow {
  id: string;
  environment_ref: string;
  component_ref?: string | null;
  requester_ref: string;
  team_ref: string | null;
  title: string;
  purpose: string;
  starts_at: Date | string | number;
  ends_at: Date | string | number;
  status: string;
  offered_at: Date | string | number | null;
  hold_expires_at: Date | string | number | null;
  booking_id: string | null;
  created_at: Date | string | number;
}

/** A waitlist entry as stored, with real dates. */
export interface StoredWaitlistEntry
  extends Omit<
    WaitlistEntry,
    'start' | 'end' | 'offeredAt' | 'holdExpiresAt' | 'createdAt' | 'position'
  > {
  start: Date;
  end: Date;
  offeredAt?: Date;
  holdExpiresAt?: Date;
  createdAt: Date;
}

const TABLE = 'waitlist';

export async function insertWaitlistEntry(
  tx: Knex.Transaction,
  entry: {
    id: string;
    environmentRef: string;
    componentRef?: string;
    requesterRef: string;
    teamRef?: string;
    title: string;
    purpose: BookingPurpose;
    start: Date;
    end: Date;
  },
  now: Date,
): Promise<StoredWaitlistEntry> {
  const row: WaitlistRow = {
    id: entry.id,
    environment_ref: entry.environmentRef,
    component_ref: entry.componentRef ?? null,
    requester_ref: entry.requesterRef,
    team_ref: entry.teamRef ?? null,
    title: entry.title,
    purpose: entry.purpose,
    starts_at: entry.start,
    ends_at: entry.end,
    status: 'waiting',
    offered_at: null,
    hold_expires_at: null,
    booking_id: null,
    created_at: now,
  };
  await tx(TABLE).insert(row);
  return toEntry(row);
}

export async function getWaitlistEntry(
  db: Knex | Knex.Transaction,
  id: string,
): Promise<StoredWaitlistEntry | undefined> {
  const row = await db<WaitlistRow>(TABLE).where('id', id).first();
  return row && toEntry(row);
}

/** Entries of one environment in queue order, optionally only some statuses. */
export async function listWaitlist(
  db: Knex | Knex.Transaction,
  filter: {
    environmentRef?: string;
    requesterRef?: string;
    /** Any of these requesters (a team's members). */
    requesterRefs?: string[];
    statuses?: WaitlistEntry['status'][];
  },
): Promise<StoredWaitlistEntry[]> {
  const query = db<WaitlistRow>(TABLE).orderBy('created_at').orderBy('id');
  if (filter.environmentRef)
    query.where('environment_ref', filter.environmentRef);
  if (filter.requesterRef) query.where('requester_ref', filter.requesterRef);
  if (filter.requesterRefs)
    query.whereIn('requester_ref', filter.requesterRefs);
  if (filter.statuses) query.whereIn('status', filter.statuses);
  return (await query).map(toEntry);
}

/** Environments whose offers lapsed by `now`, after marking those offers lapsed. */
export async function lapseExpiredHolds(
  tx: Knex.Transaction,
  now: Date,
): Promise<string[]> {
  const lapsed: Array<{ environment_ref: string }> = await tx(TABLE)
    .select('environment_ref')
    .where('status', 'offered')
    .where('hold_expires_at', '<=', now);
  await tx(TABLE)
    .where('status', 'offered')
    .where('hold_expires_at', '<=', now)
    .update({ status: 'lapsed' });
  return [...new Set(lapsed.map(r => r.environment_ref))];
}

export async function updateWaitlistEntry(
  tx: Knex.Transaction,
  id: string,
  patch: {
    status: WaitlistEntry['status'];
    offeredAt?: Date;
    holdExpiresAt?: Date;
    bookingId?: string;
  },
): Promise<void> {
  await tx(TABLE)
    .where('id', id)
    .update({
      status: patch.status,
      ...(patch.offeredAt && { offered_at: patch.offeredAt }),
      ...(patch.holdExpiresAt && { hold_expires_at: patch.holdExpiresAt }),
      ...(patch.bookingId && { booking_id: patch.bookingId }),
    });
}

function toEntry(row: WaitlistRow): StoredWaitlistEntry {
  return {
    id: row.id,
    environmentRef: row.environment_ref,
    componentRef: row.component_ref ?? undefined,
    requesterRef: row.requester_ref,
    teamRef: row.team_ref ?? undefined,
    title: row.title,
    purpose: row.purpose as BookingPurpose,
    start: toDate(row.starts_at),
    end: toDate(row.ends_at),
    status: row.status as WaitlistEntry['status'],
    offeredAt: row.offered_at ? toDate(row.offered_at) : undefined,
    holdExpiresAt: row.hold_expires_at
      ? toDate(row.hold_expires_at)
      : undefined,
    bookingId: row.booking_id ?? undefined,
    createdAt: toDate(row.created_at),
  };
}

/** Offers still holding a slot at `now`, as intervals other requests must leave room for. */
export async function listActiveHolds(
  db: Knex | Knex.Transaction,
  environmentRef: string | string[],
  now: Date,
): Promise<StoredWaitlistEntry[]> {
  return (
    await db<WaitlistRow>(TABLE)
      .whereIn('environment_ref', ([] as string[]).concat(environmentRef))
      .where('status', 'offered')
      .where('hold_expires_at', '>', now)
  ).map(toEntry);
}
