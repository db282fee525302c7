import {
  BackstageCredentials,
  BackstageUserPrincipal,
  LoggerService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  blackoutOverridePermission,
  bookingAdminPermission,
  bookingCreatePermission,
  slotConflicts,
  isEnvironmentEntity,
  nextFreeSlot,
  readEnvironmentSettings,
  overlaps,
  RefusalKind,
} from '@internal/plugin-environments-common';
import { BasicPermission } from '@backstage/plugin-permission-common';
import { isAllowed, requirePermission } from './permissions';
import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { insertAuditEvent } from '../database/auditStore';
import { insertRefusal } from '../database/analyticsStore';
import { listBlackouts } from '../database/blackoutsStore';
import {
  getWaitlistEntry,
  listActiveHolds,
  updateWaitlistEntry,
} from '../database/waitlistStore';
import { Notifier } from './Notifier';
import { WaitlistService } from './WaitlistService';
import {
  BookingFilter,
  expireEndedBookings,
  getBooking,
  insertBooking,
  insertSeries,
  listBookingsEndingSoon,
  markReminded,
  listBookings,
  listHoldingBookings,
  updateBooking,
} from '../database/bookingsStore';
import {
  getEnvironmentStates,
  lockEnvironment,
  lockStoredEnvironment,
} from '../database/environmentsStore';
import {
  applyAction,
  asInterval,
  overRefusal,
  BOOKING_LIMITS,
  BookingAction,
  NewBooking,
  requireObject,
  parseDecisionNote,
  parseExtension,
  parseNewBooking,
  StoredBooking,
  toBookingResponse,
} from '../domain/bookings';
import { toSnapshot, withOverrides } from '../domain/environments';
import {
  affectedHolders,
  forceRelease,
  parseForceRelease,
  parseReassignment,
} from '../domain/adminBookings';
import { expandOccurrences } from '../domain/recurrence';
import {
  creationViolations,
  extensionViolations,
  resolvePolicy,
} from '../domain/policies';
import { PoliciesService } from './PoliciesService';

/** A refused booking: who holds the slot, and the earliest free slot of the same length. */
export class BookingConflictError extends ConflictError {
  readonly conflicts: StoredBooking[];
  readonly nextFreeSlot: { start: Date; end: Date } | undefined;
  /** For a recurring booking: the occurrences that are taken. */
  readonly takenOccurrences: Array<{ start: Date; end: Date }>;

  constructor(
    message: string,
    conflicts: StoredBooking[],
    freeSlot: { start: Date; end: Date } | undefined,
    takenOccurrences: Array<{ start: Date; end: Date }> = [],
  ) {
    super(message);
    this.conflicts = conflicts;
    this.nextFreeSlot = freeSlot;
    this.takenOccurrences = takenOccurrences;
  }
}

type UserCredentials = BackstageCredentials<BackstageUserPrincipal>;

/**
 * What refused a booking inside its transaction: the time taken, or the environment's status
 * (in maintenance, retired); undefined for errors that are no refusal.
 */
function refusalKindOf(error: unknown): RefusalKind | undefined {
  if (error instanceof BookingConflictError) return 'conflict';
  return error instanceof ConflictError ? 'status' : undefined;
}

const isStoredBooking = (record: object): record is StoredBooking =>
  'originalEnd' in record;

/** Creating, reading and ending bookings; the capacity rule is enforced here, under a lock. */
export class BookingsService {
  constructor(
    private readonly deps: {
      db: Knex;
      catalog: CatalogService;
      permissions: PermissionsService;
      userInfo: UserInfoService;
      /** The booking policies in force (configured, or stored by an administrator). */
      policies: Pick<PoliciesService, 'inForce'>;
      waitlist: WaitlistService;
      notifier: Notifier;
      logger: LoggerService;
      /** How long before its end a booking's holder is reminded. */
      reminderMinutes: number;
    },
  ) {}

  /** Books one slot; BookingConflictError (with the next free slot) when it is taken. */
  async create(
    body: unknown,
    credentials: UserCredentials,
    now = new Date(),
  ): Promise<StoredBooking> {
    const request = parseNewBooking(body, now);
    const [booking] = await this.book(request, [request], credentials, now);
    return booking;
  }

  /**
   * Books every occurrence of a recurring booking, or none: BookingConflictError lists the
   * occurrences that are taken.
   */
  async createSeries(
    body: unknown,
    credentials: UserCredentials,
    now = new Date(),
  ): Promise<{ seriesId: string; bookings: StoredBooking[] }> {
    const { rrule, ...first } = requireObject(body);
    const request = parseNewBooking(first, now);
    const occurrences = expandOccurrences(rrule, request, now);
    const bookings = await this.book(request, occurrences, credentials, now, {
      rrule: String(rrule),
    });
    return { seriesId: bookings[0].seriesId!, bookings };
  }

  /**
   * The booking rules, in order: permission, environment exists and is bookable, team
   * membership, policy, blackouts; then, under the environment's lock, its status and capacity
   * for every occurrence. With a rule, the occurrences are stored as one series.
   */
  private async book(
    request: NewBooking,
    occurrences: Array<{ start: Date; end: Date }>,
    credentials: UserCredentials,
    now: Date,
    options: { rrule?: string; claimedEntryId?: string } = {},
  ): Promise<StoredBooking[]> {
    const { rrule, claimedEntryId } = options;
    await this.authorize(bookingCreatePermission, credentials);
    const entity = await this.deps.catalog.getEntityByRef(
      request.environmentRef,
      {
        credentials,
      },
    );
    if (!entity || !isEnvironmentEntity(entity)) {
      throw new NotFoundError(
        `No environment ${request.environmentRef} in the catalog`,
      );
    }
    const snapshot = toSnapshot(entity);
    // An administrator's overrides replace the catalog's values (see EnvironmentStateService).
    const stored = (
      await getEnvironmentStates(this.deps.db, [snapshot.entityRef])
    ).get(snapshot.entityRef);
    const settings = withOverrides(
      readEnvironmentSettings(entity),
      stored?.overrides,
    );
    if (
      request.componentRef &&
      !settings.componentSlots.includes(request.componentRef)
    ) {
      throw new InputError(
        `componentRef: ${request.componentRef} is not a bookable component of ${snapshot.entityRef}`,
      );
    }
    const name = snapshot.title ?? snapshot.entityRef;
    if (!settings.bookable) {
      throw new InputError(
        `environmentRef: ${snapshot.entityRef} cannot be booked`,
      );
    }
    if (
      request.teamRef &&
      !(await this.isMemberOf(credentials, request.teamRef))
    ) {
      throw new InputError(
        `teamRef: you are not a member of ${request.teamRef}`,
      );
    }
    const policy = resolvePolicy(await this.deps.policies.inForce(), snapshot);
    const violations = [
      ...new Set(occurrences.flatMap(o => creationViolations(policy, o, now))),
    ];
    if (violations.length > 0) {
      return this.refused(
        new InputError(violations.join('; ')),
        'policy',
        snapshot.entityRef,
        credentials,
        now,
      );
    }
    // Members of the owner group approve bookings, so theirs need no approval.
    const needsApproval =
      policy.requiresApproval &&
      !(
        snapshot.ownerRef &&
        (await this.isMemberOf(credentials, snapshot.ownerRef))
      );
    await this.checkBlackouts(snapshot, occurrences, credentials, now);

    return this.deps.db
      .transaction(async tx => {
        const state = await lockEnvironment(tx, snapshot, now);
        if (state.status !== 'available') {
          throw new ConflictError(`${name} is ${state.status}`);
        }
        // Read under the lock: an administrator changes it under the same lock.
        const { capacity } = withOverrides(snapshot, state.overrides);

        const first = occurrences[0];
        const last = occurrences[occurrences.length - 1];
        const duration = first.end.getTime() - first.start.getTime();
        const searchUntil =
          first.start.getTime() + BOOKING_LIMITS.nextSlotHorizonMs;
        // Offers from the waitlist hold their slot like bookings, except for the one being claimed.
        const holds = (
          await listActiveHolds(tx, snapshot.entityRef, now)
        ).filter(h => h.id !== claimedEntryId);
        const held = [
          ...(await listHoldingBookings(
            tx,
            [snapshot.entityRef],
            first.start,
            new Date(Math.max(last.end.getTime(), searchUntil + duration)),
          )),
          ...holds,
        ].map(asInterval);
        // Occurrences are checked against existing bookings, holds and each other.
        const taken: Array<{ start: Date; end: Date }> = [];
        const conflicts = new Set<StoredBooking>();
        const accepted: Array<ReturnType<typeof asInterval>> = [];
        for (const occurrence of occurrences) {
          const wanted = asInterval({
            ...occurrence,
            componentRef: request.componentRef,
          });
          const clashes = slotConflicts(
            [...held, ...accepted],
            wanted,
            capacity,
          );
          if (clashes.length === 0) {
            accepted.push(wanted);
            continue;
          }
          taken.push(occurrence);
          // Name the bookings in the way; holds and the series' own occurrences are not bookings.
          clashes
            .map(c => c.booking)
            .filter(isStoredBooking)
            .forEach(b => conflicts.add(b));
        }
        if (taken.length > 0) {
          const slot =
            occurrences.length === 1
              ? nextFreeSlot(
                  held,
                  first.start.getTime(),
                  duration,
                  capacity,
                  searchUntil,
                  request.componentRef,
                )
              : undefined;
          throw new BookingConflictError(
            occurrences.length === 1
              ? `${name} is already booked in that time`
              : `${name} is already booked for ${taken.length} of ${occurrences.length} occurrences`,
            [...conflicts],
            slot && { start: new Date(slot.start), end: new Date(slot.end) },
            occurrences.length === 1 ? [] : taken,
          );
        }

        const seriesId = rrule
          ? await insertSeries(tx, {
              id: randomUUID(),
              rrule,
              requesterRef: credentials.principal.userEntityRef,
              createdAt: now,
            })
          : undefined;
        const bookings: StoredBooking[] = [];
        for (const occurrence of occurrences) {
          bookings.push(
            await insertBooking(
              tx,
              {
                ...request,
                ...occurrence,
                id: randomUUID(),
                seriesId,
                requesterRef: credentials.principal.userEntityRef,
                status: needsApproval ? 'pending' : 'approved',
              },
              now,
            ),
          );
        }
        for (const booking of bookings) {
          await this.audit(
            tx,
            claimedEntryId ? 'booking-claim' : 'booking-create',
            credentials,
            {
              after: booking,
              now,
            },
          );
        }
        if (claimedEntryId) {
          await updateWaitlistEntry(tx, claimedEntryId, {
            status: 'claimed',
            bookingId: bookings[0].id,
          });
        }
        return bookings;
      })
      .catch(error =>
        this.refused(
          error,
          refusalKindOf(error),
          snapshot.entityRef,
          credentials,
          now,
        ),
      );
  }

  /** Books the slot a waitlist offer holds for the caller. */
  async claim(
    entryId: string,
    credentials: UserCredentials,
    now = new Date(),
  ): Promise<StoredBooking> {
    const entry = await getWaitlistEntry(this.deps.db, entryId);
    if (!entry) throw new NotFoundError(`No waitlist entry ${entryId}`);
    if (entry.requesterRef !== credentials.principal.userEntityRef) {
      throw new NotAllowedError('Only the requester can claim their offer');
    }
    if (
      entry.status !== 'offered' ||
      !entry.holdExpiresAt ||
      entry.holdExpiresAt.getTime() <= now.getTime()
    ) {
      throw new ConflictError(
        `Waitlist entry ${entryId} holds no slot now (${entry.status})`,
      );
    }
    const request: NewBooking = {
      environmentRef: entry.environmentRef,
      componentRef: entry.componentRef,
      title: entry.title,
      purpose: entry.purpose,
      teamRef: entry.teamRef,
      start: new Date(Math.max(entry.start.getTime(), now.getTime())),
      end: entry.end,
    };
    const [booking] = await this.book(request, [request], credentials, now, {
      claimedEntryId: entryId,
    });
    return booking;
  }

  /** Reminds holders of approved bookings that end soon, once each (run by a scheduled task). */
  async sendReminders(now = new Date()): Promise<number> {
    const due = await listBookingsEndingSoon(
      this.deps.db,
      now,
      new Date(now.getTime() + this.deps.reminderMinutes * 60_000),
    );
    for (const booking of due) {
      await this.deps.notifier.notify(
        booking.requesterRef,
        `Your booking of ${booking.environmentRef} ends soon`,
        `"${
          booking.title
        }" ends at ${booking.end.toISOString()}. Extend it or release it if you are done.`,
        '/environments',
      );
    }
    await markReminded(
      this.deps.db,
      due.map(b => b.id),
      now,
    );
    return due.length;
  }

  async get(id: string): Promise<StoredBooking> {
    const booking = await getBooking(this.deps.db, id);
    if (!booking) throw new NotFoundError(`No booking ${id}`);
    return booking;
  }

  async list(filter: BookingFilter): Promise<StoredBooking[]> {
    return listBookings(this.deps.db, filter);
  }

  /**
   * Releases (ends now) or cancels (withdraws before its start) a booking. Its requester and the
   * members of its team may; anyone else needs the admin permission.
   */
  async end(
    id: string,
    action: BookingAction,
    credentials: UserCredentials,
    now = new Date(),
  ): Promise<StoredBooking> {
    const booking = await this.get(id);
    const adminOverride = await this.authorizeHolder(booking, credentials);
    const ended = await this.deps.db.transaction(async tx => {
      // Re-read under a row lock so two concurrent actions cannot both apply.
      const current = (await getBooking(tx, id, { forUpdate: true }))!;
      const outcome = applyAction(current, action, now);
      if ('refused' in outcome) throw new ConflictError(outcome.refused);
      const after = await updateBooking(tx, id, outcome, now);
      await this.audit(tx, `booking-${action}`, credentials, {
        before: current,
        after,
        adminOverride,
        now,
      });
      return after;
    });
    await this.offerFreedTime(ended.environmentRef, now);
    return ended;
  }

  /**
   * An admin ends someone's booking, saying why: a running one is released, one that has not
   * started is cancelled. Its holders are told, with the reason.
   */
  async forceRelease(
    id: string,
    body: unknown,
    credentials: UserCredentials,
    now = new Date(),
  ): Promise<StoredBooking> {
    const { reason } = parseForceRelease(body);
    await this.authorize(bookingAdminPermission, credentials);
    const released = await this.deps.db.transaction(async tx => {
      const current = await getBooking(tx, id, { forUpdate: true });
      if (!current) throw new NotFoundError(`No booking ${id}`);
      const outcome = forceRelease(current, now);
      if ('refused' in outcome) throw new ConflictError(outcome.refused);
      const after = await updateBooking(tx, id, outcome, now);
      await this.audit(tx, 'booking-force-release', credentials, {
        before: current,
        after,
        adminOverride: true,
        reason,
        now,
      });
      return after;
    });
    await this.notifyHolders(
      affectedHolders(released, released),
      `Your booking of ${released.environmentRef} was ended by an administrator`,
      `"${released.title}" was ${released.status}. Reason: ${reason}`,
    );
    await this.offerFreedTime(released.environmentRef, now);
    return released;
  }

  /**
   * An admin hands someone's booking to another requester and/or team, saying why; both the
   * old and the new holders are told. The new ones must be in the catalog.
   */
  async reassign(
    id: string,
    body: unknown,
    credentials: UserCredentials,
    now = new Date(),
  ): Promise<StoredBooking> {
    const change = parseReassignment(body);
    await this.authorize(bookingAdminPermission, credentials);
    for (const ref of [change.requesterRef, change.teamRef]) {
      if (
        ref &&
        !(await this.deps.catalog.getEntityByRef(ref, { credentials }))
      ) {
        throw new NotFoundError(`No ${ref} in the catalog`);
      }
    }
    const { before, after } = await this.deps.db.transaction(async tx => {
      const current = await getBooking(tx, id, { forUpdate: true });
      if (!current) throw new NotFoundError(`No booking ${id}`);
      const over = overRefusal(current, now);
      if (over) throw new ConflictError(over);
      const updated = await updateBooking(
        tx,
        id,
        {
          status: current.status,
          requesterRef: change.requesterRef,
          teamRef: change.teamRef,
        },
        now,
      );
      await this.audit(tx, 'booking-reassign', credentials, {
        before: current,
        after: updated,
        adminOverride: true,
        reason: change.reason,
        now,
      });
      return { before: current, after: updated };
    });
    await this.notifyHolders(
      affectedHolders(before, after),
      `A booking of ${after.environmentRef} was reassigned by an administrator`,
      `"${
        after.title
      }" (${after.start.toISOString()} to ${after.end.toISOString()}) ` +
        `moved from ${holderText(before)} to ${holderText(after)}. Reason: ${
          change.reason
        }`,
    );
    return after;
  }

  /**
   * The freed time may be what someone on the waitlist is waiting for. The release itself
   * has happened; if the hand-off fails, the lifecycle task makes it up within a minute.
   */
  private async offerFreedTime(environmentRef: string, now: Date) {
    await this.deps.waitlist
      .offerFreedSlots(environmentRef, now)
      .catch(error =>
        this.deps.logger.warn(
          `Waitlist hand-off for ${environmentRef} failed: ${error}`,
        ),
      );
  }

  private async notifyHolders(
    recipientRefs: string[],
    title: string,
    description: string,
  ) {
    for (const recipientRef of recipientRefs) {
      await this.deps.notifier.notify(
        recipientRef,
        title,
        description,
        '/environments',
      );
    }
  }

  /**
   * Moves a booking's end later, if capacity allows for the added time. Same rights as `end`.
   */
  async extend(
    id: string,
    body: unknown,
    credentials: UserCredentials,
    now = new Date(),
  ): Promise<StoredBooking> {
    const booking = await this.get(id);
    const adminOverride = await this.authorizeHolder(booking, credentials);
    return this.deps.db.transaction(async tx => {
      const state = (await lockStoredEnvironment(tx, booking.environmentRef))!;
      // The row lock too: a release or cancellation takes only that one, not the environment's.
      const current = (await getBooking(tx, id, { forUpdate: true }))!;
      const outcome = parseExtension(body, current, now);
      if ('refused' in outcome) throw new ConflictError(outcome.refused);

      const violations = extensionViolations(
        resolvePolicy(await this.deps.policies.inForce(tx), state),
        current,
        outcome.end,
      );
      if (violations.length > 0) throw new InputError(violations.join('; '));
      const added = {
        start: current.end.getTime(),
        end: outcome.end.getTime(),
        componentRef: current.componentRef,
      };
      const others = (
        await listHoldingBookings(
          tx,
          [current.environmentRef],
          current.end,
          outcome.end,
        )
      )
        .filter(b => b.id !== id)
        .map(asInterval);
      const conflicts = slotConflicts(others, added, state.capacity);
      if (conflicts.length > 0) {
        throw new BookingConflictError(
          `${
            state.title ?? state.entityRef
          } is booked by others in the added time`,
          conflicts.map(c => c.booking),
          undefined,
        );
      }
      const after = await updateBooking(
        tx,
        id,
        {
          status: current.status,
          end: outcome.end,
          extensionCount: current.extensionCount + 1,
        },
        now,
      );
      await this.audit(tx, 'booking-extend', credentials, {
        before: current,
        after,
        adminOverride,
        now,
      });
      return after;
    });
  }

  /**
   * Approves or rejects a pending booking. Members of the environment's owner group may decide;
   * anyone else needs the admin permission. Approval re-checks capacity, since pending bookings
   * do not hold the environment.
   */
  async decide(
    id: string,
    decision: 'approve' | 'reject',
    body: unknown,
    credentials: UserCredentials,
    now = new Date(),
  ): Promise<StoredBooking> {
    const note = parseDecisionNote(body);
    const booking = await this.get(id);
    const state = (
      await getEnvironmentStates(this.deps.db, [booking.environmentRef])
    ).get(booking.environmentRef)!;
    const adminOverride = !(
      state.ownerRef && (await this.isMemberOf(credentials, state.ownerRef))
    );
    if (adminOverride) {
      await this.authorize(bookingAdminPermission, credentials);
    }
    return this.deps.db.transaction(async tx => {
      await lockStoredEnvironment(tx, booking.environmentRef);
      // The row lock too: a cancellation racing this decision takes only that one.
      const current = (await getBooking(tx, id, { forUpdate: true }))!;
      if (
        current.status !== 'pending' ||
        current.end.getTime() <= now.getTime()
      ) {
        throw new ConflictError(
          `Booking ${id} is not waiting for a decision (${current.status})`,
        );
      }
      const record = {
        byRef: credentials.principal.userEntityRef,
        at: now,
        note,
      };
      const decided = async (status: 'approved' | 'rejected') => {
        const after = await updateBooking(
          tx,
          id,
          { status, decision: record },
          now,
        );
        await this.audit(tx, `booking-${decision}`, credentials, {
          before: current,
          after,
          adminOverride,
          reason: note,
          now,
        });
        return after;
      };
      if (decision === 'reject') return decided('rejected');
      const held = (
        await listHoldingBookings(
          tx,
          [current.environmentRef],
          current.start,
          current.end,
        )
      ).map(asInterval);
      const conflicts = slotConflicts(
        held,
        asInterval(current),
        state.capacity,
      );
      if (conflicts.length > 0) {
        throw new BookingConflictError(
          `${
            state.title ?? state.entityRef
          } was booked by others in the meantime`,
          conflicts.map(c => c.booking),
          undefined,
        );
      }
      return decided('approved');
    });
  }

  /**
   * Whether `holder` (a user ref, matched against requesters, or a group ref, matched against
   * teams) holds the environment at `now`; the answer of the booking check CI pipelines call.
   */
  async check(
    environmentRef: string,
    holder: string,
    credentials: BackstageCredentials,
    now = new Date(),
  ): Promise<{ held: boolean; bookings: StoredBooking[] }> {
    const entity = await this.deps.catalog.getEntityByRef(environmentRef, {
      credentials,
    });
    if (!entity || !isEnvironmentEntity(entity)) {
      throw new NotFoundError(
        `No environment ${environmentRef} in the catalog`,
      );
    }
    const current = await listHoldingBookings(
      this.deps.db,
      [environmentRef],
      now,
      new Date(now.getTime() + 1),
    );
    const mine = current.filter(
      b => b.requesterRef === holder || b.teamRef === holder,
    );
    return { held: mine.length > 0, bookings: mine };
  }

  /** Marks bookings that have reached their end as expired (run by a scheduled task). */
  async expireEnded(now = new Date()): Promise<number> {
    return expireEndedBookings(this.deps.db, now);
  }

  /**
   * Refuses a booking that overlaps a blackout or maintenance window of the environment or its
   * tier, unless the requester may override blackouts.
   */
  private async checkBlackouts(
    environment: { entityRef: string; tier: string; title?: string },
    occurrences: Array<{ start: Date; end: Date }>,
    credentials: UserCredentials,
    now: Date,
  ) {
    const blackouts = (
      await listBlackouts(this.deps.db, {
        environmentRefs: [environment.entityRef],
        tiers: [environment.tier],
        from: occurrences[0].start,
        to: occurrences[occurrences.length - 1].end,
      })
    ).filter(b =>
      occurrences.some(o => overlaps(asInterval(b), asInterval(o))),
    );
    if (blackouts.length === 0) return;
    if (
      await isAllowed(
        this.deps.permissions,
        blackoutOverridePermission,
        credentials,
      )
    ) {
      return;
    }
    const first = blackouts[0];
    await this.refused(
      new ConflictError(
        `${environment.title ?? environment.entityRef} is closed for ${
          first.kind
        } "${
          first.title
        }" from ${first.start.toISOString()} to ${first.end.toISOString()}`,
      ),
      'blackout',
      environment.entityRef,
      credentials,
      now,
    );
  }

  /**
   * Records a refused booking request for the usage analytics, then throws its error. It runs
   * outside the request's transaction, which rolled back; a refusal that cannot be recorded is
   * logged and answered all the same.
   */
  private async refused(
    error: unknown,
    kind: RefusalKind | undefined,
    environmentRef: string,
    credentials: UserCredentials,
    now: Date,
  ): Promise<never> {
    if (kind) {
      await insertRefusal(this.deps.db, {
        environmentRef,
        at: now,
        kind,
        requesterRef: credentials.principal.userEntityRef,
      }).catch(recordError =>
        this.deps.logger.warn(
          `Could not record a refused booking of ${environmentRef}: ${recordError}`,
        ),
      );
    }
    throw error;
  }

  /** The requester and the members of the booking's team may act; others need the admin permission. */
  /** Returns true when the caller acts with the admin permission rather than as a holder. */
  private async authorizeHolder(
    booking: StoredBooking,
    credentials: UserCredentials,
  ): Promise<boolean> {
    const isHolder =
      booking.requesterRef === credentials.principal.userEntityRef ||
      (booking.teamRef !== undefined &&
        (await this.isMemberOf(credentials, booking.teamRef)));
    if (!isHolder) {
      await this.authorize(bookingAdminPermission, credentials);
    }
    return !isHolder;
  }

  /** Records a change to a booking in the audit table, inside the change's transaction. */
  private async audit(
    tx: Knex.Transaction,
    action: string,
    credentials: UserCredentials,
    change: {
      before?: StoredBooking;
      after: StoredBooking;
      adminOverride?: boolean;
      reason?: string;
      now: Date;
    },
  ) {
    await insertAuditEvent(tx, {
      at: change.now,
      actorRef: credentials.principal.userEntityRef,
      action,
      subjectType: 'booking',
      subjectId: change.after.id,
      environmentRef: change.after.environmentRef,
      adminOverride: change.adminOverride,
      reason: change.reason,
      before: change.before && toBookingResponse(change.before),
      after: toBookingResponse(change.after),
    });
  }

  private async authorize(
    permission: BasicPermission,
    credentials: UserCredentials,
  ) {
    await requirePermission(
      this.deps.permissions,
      permission,
      credentials,
      `You are not allowed to ${permission.name}`,
    );
  }

  private async isMemberOf(credentials: UserCredentials, groupRef: string) {
    const { ownershipEntityRefs } = await this.deps.userInfo.getUserInfo(
      credentials,
    );
    return ownershipEntityRefs.includes(groupRef);
  }
}

/** A booking's holders as a notification names them: the requester, and the team if any. */
function holderText(booking: StoredBooking): string {
  return booking.teamRef
    ? `${booking.requesterRef} (${booking.teamRef})`
    : booking.requesterRef;
}
