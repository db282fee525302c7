import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  Booking,
  BOOKING_PURPOSES,
  BookingPurpose,
  BookingStatus,
  isHttpUrl,
} from '@internal/plugin-environments-common';

/** Limits stated in the API: requests beyond them answer 400. */
export const BOOKING_LIMITS = {
  titleLength: 200,
  reasonLength: 4000,
  linkLength: 2048,
  /** Longest booking. */
  maxDurationMs: 90 * 24 * 3600_000,
  /** How far ahead a booking may start. */
  maxAdvanceMs: 365 * 24 * 3600_000,
  /** How far in the past a start may lie (clock skew, time to fill the form). */
  startGraceMs: 5 * 60_000,
  /** How far ahead the next free slot is searched after a conflict. */
  nextSlotHorizonMs: 90 * 24 * 3600_000,
};

/** A validated booking request. */
export interface NewBooking {
  environmentRef: string;
  componentRef?: string;
  title: string;
  purpose: BookingPurpose;
  reason?: string;
  externalLink?: string;
  teamRef?: string;
  start: Date;
  end: Date;
}

/** A booking as stored, with real dates. */
export interface StoredBooking
  extends Omit<
    Booking,
    | 'start'
    | 'end'
    | 'originalEnd'
    | 'decidedAt'
    | 'idleOfferedAt'
    | 'createdAt'
    | 'updatedAt'
  > {
  start: Date;
  end: Date;
  originalEnd: Date;
  decidedAt?: Date;
  idleOfferedAt?: Date;
  /** When its holder last chose to keep it after an idle offer; restarts the idle clock. */
  idleKeptAt?: Date;
  createdAt: Date;
  updatedAt: Date;
}

const FIELDS = [
  'environmentRef',
  'componentRef',
  'title',
  'purpose',
  'reason',
  'externalLink',
  'teamRef',
  'start',
  'end',
];

/**
 * Validates the body of `POST /bookings` against the API's rules; throws InputError naming the
 * field and the reason.
 */
export function parseNewBooking(body: unknown, now: Date): NewBooking {
  const fields = requireObject(body);
  rejectUnknownFields(fields, FIELDS);

  const environmentRef = entityRefField(
    fields,
    'environmentRef',
    'resource',
    true,
  )!;
  const teamRef = entityRefField(fields, 'teamRef', 'group', false);
  const componentRef = entityRefField(
    fields,
    'componentRef',
    'component',
    false,
  );
  const title = stringField(
    fields,
    'title',
    BOOKING_LIMITS.titleLength,
    true,
  )!.trim();
  if (!title) throw new InputError('title: must not be blank');
  const purpose = fields.purpose;
  if (!BOOKING_PURPOSES.includes(purpose as BookingPurpose)) {
    throw new InputError(
      `purpose: must be one of ${BOOKING_PURPOSES.join(', ')}`,
    );
  }
  const reason = stringField(
    fields,
    'reason',
    BOOKING_LIMITS.reasonLength,
    false,
  );
  const externalLink = stringField(
    fields,
    'externalLink',
    BOOKING_LIMITS.linkLength,
    false,
  );
  // URL parsing drops tabs and line breaks, so check for them apart: stored as sent, they would
  // end the line of the link in the calendar feed and start a property of the sender's choice.
  if (
    externalLink !== undefined &&
    (/[\s\p{Cc}]/u.test(externalLink) || !isHttpUrl(externalLink))
  ) {
    throw new InputError(
      'externalLink: must be an http or https URL, without spaces or control characters',
    );
  }

  const start = dateField(fields, 'start');
  const end = dateField(fields, 'end');
  if (end.getTime() <= start.getTime()) {
    throw new InputError('end: must be after start');
  }
  if (end.getTime() - start.getTime() > BOOKING_LIMITS.maxDurationMs) {
    throw new InputError('end: a booking may last at most 90 days');
  }
  if (start.getTime() < now.getTime() - BOOKING_LIMITS.startGraceMs) {
    throw new InputError('start: must not be in the past');
  }
  if (start.getTime() > now.getTime() + BOOKING_LIMITS.maxAdvanceMs) {
    throw new InputError('start: must be within 365 days from now');
  }

  return {
    environmentRef,
    componentRef,
    title,
    purpose: purpose as BookingPurpose,
    reason: reason || undefined,
    externalLink,
    teamRef,
    start,
    end,
  };
}

/** Whether a booking holds its environment at `now`. */
export function isCurrent(booking: StoredBooking, now: Date): boolean {
  return (
    booking.status === 'approved' &&
    booking.start.getTime() <= now.getTime() &&
    now.getTime() < booking.end.getTime()
  );
}

/** The transitions a holder can ask for, and when they are allowed. */
export type BookingAction = 'release' | 'cancel';

/**
 * Why nothing can be done to a booking any more, or undefined while it is open: approved or
 * pending, and not past its end.
 */
export function overRefusal(
  booking: StoredBooking,
  now: Date,
): string | undefined {
  const open = booking.status === 'approved' || booking.status === 'pending';
  return open && booking.end.getTime() > now.getTime()
    ? undefined
    : `Booking ${booking.id} is already over (${booking.status})`;
}

/**
 * What `action` does to a booking at `now`: the new status and end, or the reason it is not
 * allowed. Release ends a running booking now; cancel withdraws one that has not started.
 */
export function applyAction(
  booking: StoredBooking,
  action: BookingAction,
  now: Date,
): { status: BookingStatus; end: Date } | { refused: string } {
  const over = overRefusal(booking, now);
  if (over) return { refused: over };
  const started = booking.start.getTime() <= now.getTime();
  if (action === 'release') {
    return started
      ? { status: 'released', end: now }
      : {
          refused: `Booking ${booking.id} has not started yet; cancel it instead`,
        };
  }
  return started
    ? {
        refused: `Booking ${booking.id} has already started; release it instead`,
      }
    : { status: 'cancelled', end: booking.end };
}

/**
 * Validates the body of `POST /bookings/:id/extend` against the booking at `now`: the new end
 * must be later than the current one, and the booking still running or ahead.
 */
export function parseExtension(
  body: unknown,
  booking: StoredBooking,
  now: Date,
): { end: Date } | { refused: string } {
  const fields = requireObject(body);
  rejectUnknownFields(fields, ['end']);
  const end = dateField(fields, 'end');
  if (end.getTime() <= booking.end.getTime()) {
    throw new InputError('end: must be later than the current end');
  }
  if (end.getTime() - booking.start.getTime() > BOOKING_LIMITS.maxDurationMs) {
    throw new InputError('end: a booking may last at most 90 days');
  }
  if (booking.status !== 'approved' || booking.end.getTime() <= now.getTime()) {
    return {
      refused: `Booking ${booking.id} is already over (${booking.status})`,
    };
  }
  return { end };
}

/** The optional `note` of an approve or reject request. */
export function parseDecisionNote(body: unknown): string | undefined {
  if (body === undefined || body === null) return undefined;
  const fields = requireObject(body);
  rejectUnknownFields(fields, ['note']);
  return stringField(fields, 'note', BOOKING_LIMITS.reasonLength, false);
}

/**
 * Anything with Date bounds as the numeric interval the capacity rules work on, remembering the
 * record it came from.
 */
export function asInterval<
  T extends { start: Date; end: Date; componentRef?: string },
>(record: T) {
  return {
    start: record.start.getTime(),
    end: record.end.getTime(),
    componentRef: record.componentRef,
    booking: record,
  };
}

/** The wire form of a stored booking. */
export function toBookingResponse(booking: StoredBooking): Booking {
  // When the holder kept it is the idle clock's business, not the API's.
  const { idleKeptAt: _kept, ...shown } = booking;
  return {
    ...shown,
    start: booking.start.toISOString(),
    end: booking.end.toISOString(),
    originalEnd: booking.originalEnd.toISOString(),
    decidedAt: booking.decidedAt?.toISOString(),
    idleOfferedAt: booking.idleOfferedAt?.toISOString(),
    createdAt: booking.createdAt.toISOString(),
    updatedAt: booking.updatedAt.toISOString(),
  };
}

/** The body as an object of fields; anything else is a 400. */
export function requireObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InputError('The request body must be a JSON object');
  }
  return body as Record<string, unknown>;
}

/** Unknown fields are refused rather than ignored, so typos do not pass silently. */
export function rejectUnknownFields(
  fields: Record<string, unknown>,
  known: string[],
) {
  const unknown = Object.keys(fields).filter(key => !known.includes(key));
  if (unknown.length) {
    throw new InputError(`Unknown field(s): ${unknown.join(', ')}`);
  }
}

export function stringField(
  fields: Record<string, unknown>,
  name: string,
  maxLength: number,
  required: boolean,
): string | undefined {
  const value = fields[name];
  if (value === undefined || value === null) {
    if (required) throw new InputError(`${name}: is required`);
    return undefined;
  }
  if (typeof value !== 'string')
    throw new InputError(`${name}: must be a string`);
  // Counted in characters, as the API's JSON Schema and PostgreSQL count them (an emoji is one,
  // though two UTF-16 code units).
  if ([...value].length > maxLength) {
    throw new InputError(`${name}: must be at most ${maxLength} characters`);
  }
  return value;
}

/** A ref to an entity of `kind`, which may be left out of the ref; normalised. */
export function entityRefField(
  fields: Record<string, unknown>,
  name: string,
  kind: string,
  required: boolean,
): string | undefined {
  const value = stringField(fields, name, 512, required);
  if (value === undefined) return undefined;
  try {
    const ref = parseEntityRef(value, {
      defaultKind: kind,
      defaultNamespace: 'default',
    });
    if (ref.kind.toLocaleLowerCase('en-US') !== kind) {
      throw new InputError(`${name}: must refer to a ${kind}, got ${ref.kind}`);
    }
    return stringifyEntityRef(ref);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`${name}: is not a valid entity ref`);
  }
}

// ISO 8601 with an explicit offset, so a booking never depends on the server's time zone.
const ISO_DATE_TIME =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export function dateField(fields: Record<string, unknown>, name: string): Date {
  const value = stringField(fields, name, 40, true)!;
  const date = new Date(value);
  if (
    !ISO_DATE_TIME.test(value) ||
    Number.isNaN(date.getTime()) ||
    !isRealDay(value)
  ) {
    throw new InputError(
      `${name}: must be an ISO 8601 date-time with a time zone, e.g. 2026-12-01T09:00:00Z`,
    );
  }
  return date;
}

// `Date` rolls 2026-02-30 over to March 2nd; a booking request must name a day that exists.
function isRealDay(value: string): boolean {
  const [year, month, day] = value.slice(0, 10).split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, day)).getUTCDate() === day;
}
