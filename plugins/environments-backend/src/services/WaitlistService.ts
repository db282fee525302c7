import {
  BackstageCredentials,
  BackstageUserPrincipal,
} from '@backstage/backend-plugin-api';
import {
  ConflictError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  slotConflicts,
  WaitlistEntry,
} from '@internal/plugin-environments-common';
import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { listHoldingBookings } from '../database/bookingsStore';
import {
  getEnvironmentStates,
  lockStoredEnvironment,
} from '../database/environmentsStore';
import {
  getWaitlistEntry,
  insertWaitlistEntry,
  lapseExpiredHolds,
  listActiveHolds,
  listWaitlist,
  StoredWaitlistEntry,
  updateWaitlistEntry,
} from '../database/waitlistStore';
import { asInterval, NewBooking } from '../domain/bookings';
import { Notifier } from './Notifier';

type UserCredentials = BackstageCredentials<BackstageUserPrincipal>;

/**
 * The waitlist of taken slots. When a slot frees up, the first waiter whose slot now fits gets
 * a hold on it for `holdMinutes`; a lapsed hold passes to the next waiter.
 */
export class WaitlistService {
  constructor(
    private readonly deps: {
      db: Knex;
      notifier: Notifier;
      holdMinutes: number;
    },
  ) {}

  /** Queues a request for a slot that is taken; 409 when the slot is free (book it instead). */
  async join(
    request: NewBooking,
    credentials: UserCredentials,
    now = new Date(),
  ): Promise<WaitlistEntry> {
    const entry = await this.deps.db.transaction(async tx => {
      const state = (
        await getEnvironmentStates(tx, [request.environmentRef])
      ).get(request.environmentRef);
      if (!state) {
        throw new NotFoundError(
          `${request.environmentRef} has no bookings to wait for`,
        );
      }
      await lockStoredEnvironment(tx, request.environmentRef);
      const held = await this.heldIntervals(
        tx,
        request.environmentRef,
        request,
        now,
      );
      if (
        slotConflicts(held, asInterval(request), state.capacity).length === 0
      ) {
        throw new ConflictError(
          `${
            state.title ?? state.entityRef
          } is free in that time: book it instead`,
        );
      }
      return insertWaitlistEntry(
        tx,
        {
          ...request,
          id: randomUUID(),
          requesterRef: credentials.principal.userEntityRef,
        },
        now,
      );
    });
    return (await this.list({ environmentRef: entry.environmentRef })).find(
      e => e.id === entry.id,
    )!;
  }

  /** Leaves the waitlist; a held slot passes to the next waiter. */
  async leave(
    id: string,
    credentials: UserCredentials,
    now = new Date(),
  ): Promise<void> {
    const entry = await getWaitlistEntry(this.deps.db, id);
    if (!entry) throw new NotFoundError(`No waitlist entry ${id}`);
    if (entry.requesterRef !== credentials.principal.userEntityRef) {
      throw new NotAllowedError(
        'Only the requester can leave their place on the waitlist',
      );
    }
    if (entry.status !== 'waiting' && entry.status !== 'offered') {
      throw new ConflictError(
        `Waitlist entry ${id} is already ${entry.status}`,
      );
    }
    await this.deps.db.transaction(tx =>
      updateWaitlistEntry(tx, id, { status: 'left' }),
    );
    if (entry.status === 'offered')
      await this.offerFreedSlots(entry.environmentRef, now);
  }

  /** Entries in queue order, with positions among the waiting ones of each environment. */
  async list(filter: {
    environmentRef?: string;
    requesterRef?: string;
    /** Any of these requesters (a team's members). */
    requesterRefs?: string[];
    statuses?: WaitlistEntry['status'][];
  }): Promise<WaitlistEntry[]> {
    const entries = await listWaitlist(this.deps.db, filter);
    const positions = new Map<string, number>();
    const queues = new Map<string, number>();
    // Positions count every waiter ahead, not only the requesters asked about.
    const waiting =
      filter.requesterRef || filter.requesterRefs
        ? await listWaitlist(this.deps.db, { statuses: ['waiting'] })
        : entries.filter(e => e.status === 'waiting');
    for (const entry of waiting) {
      const position = (queues.get(entry.environmentRef) ?? 0) + 1;
      queues.set(entry.environmentRef, position);
      positions.set(entry.id, position);
    }
    return entries.map(entry =>
      toWaitlistResponse(entry, positions.get(entry.id)),
    );
  }

  /**
   * Offers the slots of an environment that have become free to its waiters, in queue order,
   * each with a timed hold, and tells them.
   */
  async offerFreedSlots(
    environmentRef: string,
    now = new Date(),
  ): Promise<WaitlistEntry[]> {
    const offered = await this.deps.db.transaction(async tx => {
      const state = (await getEnvironmentStates(tx, [environmentRef])).get(
        environmentRef,
      );
      if (!state) return [];
      await lockStoredEnvironment(tx, environmentRef);
      const waiting = (
        await listWaitlist(tx, { environmentRef, statuses: ['waiting'] })
      ).filter(e => e.end.getTime() > now.getTime());
      if (waiting.length === 0) return [];
      const span = {
        start: new Date(Math.min(...waiting.map(e => e.start.getTime()))),
        end: new Date(Math.max(...waiting.map(e => e.end.getTime()))),
      };
      const held = await this.heldIntervals(tx, environmentRef, span, now);
      const holdExpiresAt = new Date(
        now.getTime() + this.deps.holdMinutes * 60_000,
      );
      const result: StoredWaitlistEntry[] = [];
      for (const entry of waiting) {
        const wanted = asInterval(entry);
        if (slotConflicts(held, wanted, state.capacity).length > 0) continue;
        await updateWaitlistEntry(tx, entry.id, {
          status: 'offered',
          offeredAt: now,
          holdExpiresAt,
        });
        held.push(wanted);
        result.push({
          ...entry,
          status: 'offered',
          offeredAt: now,
          holdExpiresAt,
        });
      }
      return result;
    });
    for (const entry of offered) {
      await this.deps.notifier.notify(
        entry.requesterRef,
        `${entry.environmentRef} is free for you`,
        `The slot you waited for (${entry.start.toISOString()} to ${entry.end.toISOString()}) is held for you until ${entry.holdExpiresAt!.toISOString()}. Claim it from your waitlist.`,
        '/environments',
      );
    }
    return offered.map(entry => toWaitlistResponse(entry, undefined));
  }

  /**
   * Lapses offers whose hold ran out, then offers every environment's freed slots to its
   * waiters (run by a scheduled task, so a hand-off missed after a release is made up for).
   * Returns how many holds lapsed.
   */
  async lapseHolds(now = new Date()): Promise<number> {
    const lapsed = await this.deps.db.transaction(tx =>
      lapseExpiredHolds(tx, now),
    );
    const waiting = await listWaitlist(this.deps.db, { statuses: ['waiting'] });
    for (const environmentRef of new Set(waiting.map(e => e.environmentRef))) {
      await this.offerFreedSlots(environmentRef, now);
    }
    return lapsed.length;
  }

  /** Approved bookings and active holds overlapping `span`: what a waiter must fit next to. */
  private async heldIntervals(
    tx: Knex.Transaction,
    environmentRef: string,
    span: { start: Date; end: Date },
    now: Date,
  ) {
    const bookings = await listHoldingBookings(
      tx,
      [environmentRef],
      span.start,
      span.end,
    );
    const holds = await listActiveHolds(tx, environmentRef, now);
    return [...bookings, ...holds].map(asInterval);
  }
}

export function toWaitlistResponse(
  entry: StoredWaitlistEntry,
  position: number | undefined,
): WaitlistEntry {
  return {
    ...entry,
    position,
    start: entry.start.toISOString(),
    end: entry.end.toISOString(),
    offeredAt: entry.offeredAt?.toISOString(),
    holdExpiresAt: entry.holdExpiresAt?.toISOString(),
    createdAt: entry.createdAt.toISOString(),
  };
}
