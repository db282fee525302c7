import {
  BackstageCredentials,
  BackstageUserPrincipal,
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
  bookingAdminPermission,
  bookingCreatePermission,
  capacityConflicts,
  Interval,
  isEnvironmentEntity,
  nextFreeSlot,
} from '@internal/plugin-environments-common';
import {
  AuthorizeResult,
  BasicPermission,
} from '@backstage/plugin-permission-common';
import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import {
  BookingFilter,
  getBooking,
  insertBooking,
  listBookings,
  listHoldingBookings,
  updateBooking,
} from '../database/bookingsStore';
import {
  getEnvironmentStates,
  lockEnvironment,
} from '../database/environmentsStore';
import {
  applyAction,
  BOOKING_LIMITS,
  BookingAction,
  parseNewBooking,
  StoredBooking,
} from '../domain/bookings';
import { toSnapshot } from '../domain/environments';

/** A refused booking: who holds the slot, and the earliest free slot of the same length. */
export class BookingConflictError extends ConflictError {
  readonly conflicts: StoredBooking[];
  readonly nextFreeSlot: { start: Date; end: Date } | undefined;

  constructor(
    message: string,
    conflicts: StoredBooking[],
    freeSlot: { start: Date; end: Date } | undefined,
  ) {
    super(message);
    this.conflicts = conflicts;
    this.nextFreeSlot = freeSlot;
  }
}

type UserCredentials = BackstageCredentials<BackstageUserPrincipal>;

const asInterval = (booking: StoredBooking) => ({
  start: booking.start.getTime(),
  end: booking.end.getTime(),
  booking,
});

/** Creating, reading and ending bookings; the capacity rule is enforced here, under a lock. */
export class BookingsService {
  constructor(
    private readonly deps: {
      db: Knex;
      catalog: CatalogService;
      permissions: PermissionsService;
      userInfo: UserInfoService;
    },
  ) {}

  async create(
    body: unknown,
    credentials: UserCredentials,
    now = new Date(),
  ): Promise<StoredBooking> {
    const request = parseNewBooking(body, now);
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
    if (!snapshot.bookable) {
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

    return this.deps.db.transaction(async tx => {
      await lockEnvironment(tx, snapshot, now);
      const state = (await getEnvironmentStates(tx, [snapshot.entityRef])).get(
        snapshot.entityRef,
      )!;
      if (state.status !== 'available') {
        throw new ConflictError(`${snapshot.entityRef} is ${state.status}`);
      }

      const wanted: Interval = {
        start: request.start.getTime(),
        end: request.end.getTime(),
      };
      const duration = wanted.end - wanted.start;
      const searchUntil = wanted.start + BOOKING_LIMITS.nextSlotHorizonMs;
      const held = (
        await listHoldingBookings(
          tx,
          [snapshot.entityRef],
          request.start,
          new Date(searchUntil + duration),
        )
      ).map(asInterval);
      const conflicts = capacityConflicts(held, wanted, snapshot.capacity);
      if (conflicts.length > 0) {
        const slot = nextFreeSlot(
          held,
          wanted.start,
          duration,
          snapshot.capacity,
          searchUntil,
        );
        throw new BookingConflictError(
          `${
            snapshot.title ?? snapshot.entityRef
          } is already booked in that time`,
          conflicts.map(c => c.booking),
          slot && { start: new Date(slot.start), end: new Date(slot.end) },
        );
      }
      return insertBooking(
        tx,
        {
          ...request,
          id: randomUUID(),
          requesterRef: credentials.principal.userEntityRef,
          status: 'approved',
        },
        now,
      );
    });
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
    const isHolder =
      booking.requesterRef === credentials.principal.userEntityRef ||
      (booking.teamRef !== undefined &&
        (await this.isMemberOf(credentials, booking.teamRef)));
    if (!isHolder) {
      await this.authorize(bookingAdminPermission, credentials);
    }
    return this.deps.db.transaction(async tx => {
      // Re-read under a row lock so two concurrent actions cannot both apply.
      const current = (await getBooking(tx, id, { forUpdate: true }))!;
      const outcome = applyAction(current, action, now);
      if ('refused' in outcome) throw new ConflictError(outcome.refused);
      return updateBooking(tx, id, outcome, now);
    });
  }

  private async authorize(
    permission: BasicPermission,
    credentials: UserCredentials,
  ) {
    const [decision] = await this.deps.permissions.authorize([{ permission }], {
      credentials,
    });
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`You are not allowed to ${permission.name}`);
    }
  }

  private async isMemberOf(credentials: UserCredentials, groupRef: string) {
    const { ownershipEntityRefs } = await this.deps.userInfo.getUserInfo(
      credentials,
    );
    return ownershipEntityRefs.includes(groupRef);
  }
}
