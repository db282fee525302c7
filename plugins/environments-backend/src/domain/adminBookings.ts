import { InputError } from '@backstage/errors';
import { BookingStatus } from '@internal/plugin-environments-common';
import {
  applyAction,
  BOOKING_LIMITS,
  entityRefField,
  rejectUnknownFields,
  requireObject,
  StoredBooking,
  stringField,
} from './bookings';

/** A new holder for a booking, given by an admin with the reason for the move. */
export interface Reassignment {
  requesterRef?: string;
  teamRef?: string;
  reason: string;
}

/** The reason an admin must give for acting on someone else's booking: not blank. */
function requiredReason(fields: Record<string, unknown>): string {
  const reason = stringField(
    fields,
    'reason',
    BOOKING_LIMITS.reasonLength,
    true,
  )!.trim();
  if (!reason) throw new InputError('reason: must not be blank');
  return reason;
}

/** Validates the body of `POST /bookings/{id}/force-release`. */
export function parseForceRelease(body: unknown): { reason: string } {
  const fields = requireObject(body);
  rejectUnknownFields(fields, ['reason']);
  return { reason: requiredReason(fields) };
}

/** Validates the body of `POST /bookings/{id}/reassign`: a user, a group, or both, and why. */
export function parseReassignment(body: unknown): Reassignment {
  const fields = requireObject(body);
  rejectUnknownFields(fields, ['requesterRef', 'teamRef', 'reason']);
  const requesterRef = entityRefField(fields, 'requesterRef', 'user', false);
  const teamRef = entityRefField(fields, 'teamRef', 'group', false);
  if (!requesterRef && !teamRef) {
    throw new InputError('requesterRef: give a new requester, team, or both');
  }
  return { requesterRef, teamRef, reason: requiredReason(fields) };
}

/**
 * What an admin's force release does at `now`: a running booking is released (ends now), one
 * that has not started is cancelled; a booking that is over cannot be released again.
 */
export function forceRelease(
  booking: StoredBooking,
  now: Date,
): { status: BookingStatus; end: Date } | { refused: string } {
  const started = booking.start.getTime() <= now.getTime();
  return applyAction(booking, started ? 'release' : 'cancel', now);
}

/**
 * Who a change of holders concerns: the requester and team before and after, each once, so
 * that both the old and the new holders hear of it.
 */
export function affectedHolders(
  before: StoredBooking,
  after: StoredBooking,
): string[] {
  return [
    ...new Set(
      [
        before.requesterRef,
        before.teamRef,
        after.requesterRef,
        after.teamRef,
      ].filter((ref): ref is string => ref !== undefined),
    ),
  ];
}
