/** Runtime status the plugin keeps for an environment. */
export type EnvironmentStatus = 'available' | 'maintenance' | 'retired';

/** An environment as the API returns it: catalog facts merged with the plugin's stored state. */
export interface Environment {
  /** Entity ref of the Resource, e.g. `resource:default/qa-1`. */
  entityRef: string;
  name: string;
  namespace: string;
  title?: string;
  description?: string;
  /** Tier from the tier annotation; `unknown` when the annotation is absent. */
  tier: string;
  /** Entity ref of the owning group (the environment's administrators). */
  ownerRef?: string;
  /** Entity ref of the system the environment belongs to. */
  systemRef?: string;
  bookable: boolean;
  /** 1 = exclusive; more = that many bookings may hold it at once. */
  capacity: number;
  /** Components that can be booked one at a time (each slot exclusive). */
  componentSlots: string[];
  healthCheckUrl?: string;
  status: EnvironmentStatus;
  /** When the plugin first stored this environment; absent until the catalog sync has seen it. */
  firstSeenAt?: string;
  /** When the status last changed; absent until the catalog sync has seen it. */
  statusChangedAt?: string;
  /** The booking holding the environment now, if any (the first of them when shared). */
  currentBooking?: Booking;
  /** Upcoming bookings within the next 14 days, earliest first (pending ones included). */
  upcomingBookings: Booking[];
  /** The booking rules that apply to it. */
  policy: BookingPolicy;
}

/** Response of `GET /environments`. */
export interface EnvironmentList {
  items: Environment[];
}

/** Lifecycle of a booking. Only `approved` bookings hold an environment. */
export type BookingStatus =
  | 'pending'
  | 'approved'
  | 'released'
  | 'expired'
  | 'rejected'
  | 'cancelled';

/** Why a booking is made; shown on the timeline and used by analytics. */
export const BOOKING_PURPOSES = [
  'testing',
  'demo',
  'deployment',
  'data-refresh',
  'maintenance',
  'other',
] as const;
export type BookingPurpose = (typeof BOOKING_PURPOSES)[number];

/** A booking of an environment for the half-open interval `[start, end)`, in UTC. */
export interface Booking {
  id: string;
  environmentRef: string;
  /** The component slot booked, when not the whole environment. */
  componentRef?: string;
  requesterRef: string;
  teamRef?: string;
  title: string;
  purpose: BookingPurpose;
  reason?: string;
  externalLink?: string;
  /** ISO 8601 UTC. */
  start: string;
  /** ISO 8601 UTC, exclusive. */
  end: string;
  status: BookingStatus;
  originalEnd: string;
  extensionCount: number;
  /** Who approved or rejected it, when, and why. */
  decidedByRef?: string;
  decidedAt?: string;
  decisionNote?: string;
  /** The recurring booking this is an occurrence of. */
  seriesId?: string;
  createdAt: string;
  updatedAt: string;
}

/** Body of `POST /bookings`. */
export interface CreateBookingRequest {
  environmentRef: string;
  /** One of the environment's component slots, to book just that component. */
  componentRef?: string;
  title: string;
  purpose: BookingPurpose;
  reason?: string;
  externalLink?: string;
  teamRef?: string;
  /** ISO 8601 with a time zone offset or Z. */
  start: string;
  end: string;
}

/** Body of a 409 answer to `POST /bookings`. */
export interface BookingConflictResponse {
  error: { name: 'ConflictError'; message: string };
  conflicts: Booking[];
  /** The earliest slot of the requested length that is free, if any within the search horizon. */
  nextFreeSlot?: { start: string; end: string };
  /** For a recurring booking: the occurrences that are taken. */
  takenOccurrences?: Array<{ start: string; end: string }>;
}

/** Body of `POST /booking-series`: the first occurrence and an RFC 5545 RRULE (UTC). */
export interface CreateBookingSeriesRequest extends CreateBookingRequest {
  rrule: string;
}

/** Response of `POST /booking-series`. */
export interface BookingSeries {
  seriesId: string;
  items: Booking[];
}

/** Response of `GET /bookings`. */
export interface BookingList {
  items: Booking[];
}

/**
 * Booking rules of an environment, resolved from the global, tier and environment policies (the
 * most specific setting wins). Absent limits do not apply.
 */
export interface BookingPolicy {
  /** Longest booking, in hours. */
  maxDurationHours?: number;
  /** How many days ahead a booking may start. */
  maxAdvanceDays?: number;
  /** How long before its start a booking must be made, in minutes. */
  minNoticeMinutes?: number;
  /** How often one booking may be extended. */
  maxExtensions?: number;
  /** Bookings wait for a member of the owner group to approve them (owners are auto-approved). */
  requiresApproval: boolean;
}

/** A period when an environment (or every environment of a tier) cannot be booked. */
export interface Blackout {
  id: string;
  scope: 'environment' | 'tier';
  /** The environment's entity ref, or the tier name. */
  scopeKey: string;
  /** `maintenance` also shows the environment as in maintenance while it lasts. */
  kind: 'blackout' | 'maintenance';
  title: string;
  reason?: string;
  start: string;
  end: string;
  createdByRef: string;
  createdAt: string;
}

/** Body of `POST /blackouts`. */
export interface CreateBlackoutRequest {
  scope: Blackout['scope'];
  scopeKey: string;
  kind: Blackout['kind'];
  title: string;
  reason?: string;
  start: string;
  end: string;
}

/** A place on an environment's waitlist for a taken slot. */
export interface WaitlistEntry {
  id: string;
  environmentRef: string;
  componentRef?: string;
  requesterRef: string;
  teamRef?: string;
  title: string;
  purpose: BookingPurpose;
  start: string;
  end: string;
  /** `offered`: the slot is held for this entry until `holdExpiresAt`; claim it to book. */
  status: 'waiting' | 'offered' | 'claimed' | 'lapsed' | 'left';
  /** 1 for the first waiter of the environment; absent once no longer waiting. */
  position?: number;
  offeredAt?: string;
  holdExpiresAt?: string;
  bookingId?: string;
  createdAt: string;
}

/** One change recorded in the audit log. */
export interface AuditEvent {
  id: string;
  at: string;
  actorRef: string;
  /** e.g. `booking-create`, `booking-release`, `blackout-delete`. */
  action: string;
  subjectType: 'booking' | 'blackout';
  subjectId: string;
  environmentRef?: string;
  /** True when the actor used the admin permission to act on someone else's booking. */
  adminOverride: boolean;
  before?: unknown;
  after?: unknown;
}
