import {
  AuditorService,
  BackstageCredentials,
  BackstageUserPrincipal,
  LoggerService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import {
  ConflictError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { Knex } from 'knex';
import { lastDeploymentTimes } from '../database/analyticsStore';
import { insertAuditEvent } from '../database/auditStore';
import {
  getBooking,
  listRunningBookings,
  updateBooking,
  updateIdleOffer,
} from '../database/bookingsStore';
import { getEnvironmentStates } from '../database/environmentsStore';
import {
  isCurrent,
  StoredBooking,
  toBookingResponse,
} from '../domain/bookings';
import { decideIdle, IdleAction } from '../domain/idleRelease';
import { resolvePolicy } from '../domain/policies';
import { PoliciesService } from './PoliciesService';
import { Notifier } from './Notifier';
import { WaitlistService } from './WaitlistService';

/** Who the audit log names for what the plugin does by itself. */
const PLUGIN_ACTOR = 'plugin:environments';

/**
 * Idle release: running bookings of environments with an `idleReleaseHours` policy that see no
 * deployment for that long are offered for release to their holder, who can keep them; an
 * offer left unanswered for the grace period releases the booking (run by the lifecycle task).
 */
export class IdleReleaseService {
  constructor(
    private readonly deps: {
      db: Knex;
      /** The booking policies in force (configured, or stored by an administrator). */
      policies: Pick<PoliciesService, 'inForce'>;
      notifier: Notifier;
      waitlist: WaitlistService;
      userInfo: UserInfoService;
      auditor: AuditorService;
      logger: LoggerService;
      /** How long an offer waits for the holder before the booking is released. */
      graceMinutes: number;
    },
  ) {}

  /** Applies the idle rule to every running booking; how many of each action it took. */
  async run(now = new Date()): Promise<Record<IdleAction, number>> {
    const { db } = this.deps;
    const counts: Record<IdleAction, number> = {
      none: 0,
      offer: 0,
      withdraw: 0,
      release: 0,
    };
    const running = await listRunningBookings(db, now);
    if (running.length === 0) return counts;
    const refs = [...new Set(running.map(b => b.environmentRef))];
    const [states, lastDeployments, policies] = await Promise.all([
      getEnvironmentStates(db, refs),
      lastDeploymentTimes(db, refs),
      this.deps.policies.inForce(),
    ]);
    const decide = (booking: StoredBooking) => {
      const state = states.get(booking.environmentRef);
      return decideIdle({
        booking,
        lastDeploymentAt: lastDeployments.get(booking.environmentRef),
        idleReleaseHours:
          state && resolvePolicy(policies, state).idleReleaseHours,
        graceMs: this.deps.graceMinutes * 60_000,
        now,
      });
    };

    for (const booking of running) {
      const action = decide(booking);
      let done = false;
      if (action === 'offer') done = await this.offer(booking, now);
      if (action === 'withdraw') {
        done = await updateIdleOffer(db, booking.id, { offeredAt: null }, now);
      }
      if (action === 'release')
        done = await this.release(booking.id, decide, now);
      if (done || action === 'none') counts[action] += 1;
    }
    return counts;
  }

  private async offer(booking: StoredBooking, now: Date): Promise<boolean> {
    const opened = await updateIdleOffer(
      this.deps.db,
      booking.id,
      { offeredAt: now },
      now,
    );
    if (opened) {
      const releaseAt = new Date(
        now.getTime() + this.deps.graceMinutes * 60_000,
      );
      await this.deps.notifier.notify(
        booking.requesterRef,
        `Your booking of ${booking.environmentRef} looks idle: release or keep it`,
        `Nothing has been deployed to ${
          booking.environmentRef
        } for a while during "${
          booking.title
        }". Keep it if you still need it; otherwise it is released at ${releaseAt.toISOString()}.`,
        '/environments',
      );
    }
    return opened;
  }

  /**
   * Releases an idle booking, after checking again under its row lock that the rule still says
   * so (its holder may have kept it a moment ago); audited, and its holder told.
   */
  private async release(
    id: string,
    decide: (booking: StoredBooking) => IdleAction,
    now: Date,
  ): Promise<boolean> {
    const released = await this.deps.db.transaction(async tx => {
      const current = await getBooking(tx, id, { forUpdate: true });
      if (
        !current ||
        !isCurrent(current, now) ||
        decide(current) !== 'release'
      ) {
        return undefined;
      }
      const after = await updateBooking(
        tx,
        id,
        { status: 'released', end: now, releaseReason: 'idle' },
        now,
      );
      await insertAuditEvent(tx, {
        at: now,
        actorRef: PLUGIN_ACTOR,
        action: 'booking-idle-release',
        subjectType: 'booking',
        subjectId: id,
        environmentRef: after.environmentRef,
        before: toBookingResponse(current),
        after: toBookingResponse(after),
      });
      return after;
    });
    if (!released) return false;
    const event = await this.deps.auditor.createEvent({
      eventId: 'booking-idle-release',
      meta: { bookingId: id, environmentRef: released.environmentRef },
    });
    await event.success();
    await this.deps.notifier.notify(
      released.requesterRef,
      `Your booking of ${released.environmentRef} was released as idle`,
      `"${released.title}" saw no deployment and its release offer went unanswered for ${this.deps.graceMinutes} minutes, so it was released.`,
      '/environments',
    );
    // As with any release, the freed time may be what a waiter waits for; the lifecycle task
    // makes up a failed hand-off.
    await this.deps.waitlist
      .offerFreedSlots(released.environmentRef, now)
      .catch(error =>
        this.deps.logger.warn(
          `Waitlist hand-off for ${released.environmentRef} failed: ${error}`,
        ),
      );
    return true;
  }

  /**
   * The holder's answer to an offer: keep the booking. Closes an open offer and restarts the
   * idle clock; allowed on any running booking, for its requester and its team's members.
   */
  async keep(
    id: string,
    credentials: BackstageCredentials<BackstageUserPrincipal>,
    now = new Date(),
  ): Promise<StoredBooking> {
    const booking = await getBooking(this.deps.db, id);
    if (!booking) throw new NotFoundError(`No booking ${id}`);
    const user = credentials.principal.userEntityRef;
    const { ownershipEntityRefs } = await this.deps.userInfo.getUserInfo(
      credentials,
    );
    const isHolder =
      booking.requesterRef === user ||
      (booking.teamRef !== undefined &&
        ownershipEntityRefs.includes(booking.teamRef));
    if (!isHolder) {
      throw new NotAllowedError(
        'Only the booking’s requester and its team can keep it',
      );
    }
    return this.deps.db.transaction(async tx => {
      const current = (await getBooking(tx, id, { forUpdate: true }))!;
      if (!isCurrent(current, now)) {
        throw new ConflictError(
          `Booking ${id} is not running (${current.status})`,
        );
      }
      await updateIdleOffer(tx, id, { offeredAt: null, keptAt: now }, now);
      const after = (await getBooking(tx, id))!;
      await insertAuditEvent(tx, {
        at: now,
        actorRef: user,
        action: 'booking-keep',
        subjectType: 'booking',
        subjectId: id,
        environmentRef: after.environmentRef,
        before: toBookingResponse(current),
        after: toBookingResponse(after),
      });
      return after;
    });
  }
}
