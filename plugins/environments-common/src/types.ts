import { BurnRateStatus, SloStatus } from './slo';
import type { EnvironmentOverrides } from './admin';

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
  /** What its health check found; absent for an environment without a health-check URL. */
  health?: EnvironmentHealth;
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
  /** Values an administrator set over the catalog's (already applied above); absent when none. */
  overrides?: EnvironmentOverrides;
}

/**
 * An environment's health from its health-check URL: `up` answers 2xx in time, `degraded`
 * answers 2xx slowly or failed only the last probe, `down` failed the probes in a row, `unknown`
 * has no recent probe.
 */
export type HealthStatus = 'up' | 'degraded' | 'down' | 'unknown';

export interface EnvironmentHealth {
  status: HealthStatus;
  /** When it was last probed. */
  checkedAt?: string;
  /** Since when it has had this status. */
  since?: string;
  /** Why it is not up, e.g. `answered 503`, `no answer within 5000 ms`, `connection refused`. */
  reason?: string;
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
  /** When its holder was offered to release it as idle; present while the offer is open. */
  idleOfferedAt?: string;
  /** `idle`: the plugin released it after an idle offer lapsed. */
  releaseReason?: 'idle';
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
  /**
   * A running booking without a deployment to its environment for this many hours is offered
   * for release to its holder, and released after the grace period unless they keep it.
   */
  idleReleaseHours?: number;
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
  /** The recurring blackout this is an occurrence of; edits and deletes apply to all of them. */
  seriesId?: string;
  /** The series' RFC 5545 rule, e.g. `FREQ=WEEKLY;BYDAY=FR;COUNT=8`. */
  rrule?: string;
}

/** Body of `POST /blackouts` and `PUT /blackouts/{id}`. */
export interface CreateBlackoutRequest {
  scope: Blackout['scope'];
  scopeKey: string;
  kind: Blackout['kind'];
  title: string;
  reason?: string;
  /** The first occurrence's bounds. */
  start: string;
  end: string;
  /** Repeats the blackout by this rule (FREQ, INTERVAL, COUNT or UNTIL, WKST, weekly BYDAY). */
  rrule?: string;
}

/** Body of `POST /bookings/{id}/force-release`. */
export interface ForceReleaseRequest {
  reason: string;
}

/** Body of `POST /bookings/{id}/reassign`: a new requester, a new team, or both. */
export interface ReassignBookingRequest {
  requesterRef?: string;
  teamRef?: string;
  reason: string;
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
  /** e.g. `booking-create`, `booking-release`, `blackout-delete`, `policy-update`. */
  action: string;
  /** `policy` subjects are `global`, `tier:<tier>` or `environment:<entity ref>`. */
  subjectType: 'booking' | 'blackout' | 'policy' | 'environment';
  subjectId: string;
  environmentRef?: string;
  /** True when the actor used the admin permission to act on someone else's booking. */
  adminOverride: boolean;
  /** Why the actor made the change, where they had to say (admin actions on bookings). */
  reason?: string;
  before?: unknown;
  after?: unknown;
}

/** How complete the data behind an SLO is. */
export type SloDataQuality =
  /** Every bucket of the window had data. */
  | 'ok'
  /** Some buckets had none (gaps, or the metric started within the window). */
  | 'partial'
  /** The metric counted no events at all: the SLI is unknown, not 100%. */
  | 'no-traffic'
  /** No series matched the query in the window: a wrong selector, or the metric is gone. */
  | 'absent';

/** One objective of an SLO, evaluated now. Unknown values are absent, never 0% or 100%. */
export interface SloObjectiveResult {
  name: string;
  /** e.g. 0.999 */
  target: number;
  /** The SLI over the window so far. */
  sli?: number;
  /** Share of the error budget left: 1 untouched, 0 spent, negative overspent. */
  budgetRemaining?: number;
  /** The SRE workbook's four windows, scaled to the SLO's period, and which would fire now. */
  burnRates: BurnRateStatus[];
  /** Until the budget is gone at the last hour's burn rate (scaled); absent when not burning. */
  timeToExhaustionMs?: number;
  status: SloStatus;
  dataQuality: SloDataQuality;
  /** Cumulative SLI and budget left from the window's start, for the charts. */
  series: Array<{ time: string; sli?: number; budgetRemaining?: number }>;
}

/** Where an SLO's numbers come from, and how fresh they are. */
export interface SloSourceState {
  /** The OpenSLO metricSource type, e.g. `prometheus`. */
  type: string;
  /**
   * `ok`: read now. `stale`: the source failed; these are the last known values, from `asOf`.
   * `unavailable`: the source failed and nothing is known. `not-configured`: no source of
   * this type is installed.
   */
  status: 'ok' | 'stale' | 'unavailable' | 'not-configured';
  reason?: string;
  /** When the numbers were read. */
  asOf?: string;
  /** Queries the evaluation sent to the source (0 when answered from the cache). */
  queries: number;
}

/** An SLO of an entity, evaluated. */
export interface SloSummary {
  name: string;
  displayName?: string;
  description?: string;
  /** The OpenSLO file it is defined in, relative to the entity's source location. */
  file: string;
  window: {
    /** As written, e.g. `30d` or `1M`. */
    duration: string;
    rolling: boolean;
    start: string;
    end: string;
  };
  budgetingMethod: 'Occurrences' | 'Timeslices' | 'RatioTimeslices';
  /** The metric label that selects the environment, when the SLO is scoped by one. */
  environmentLabel?: string;
  /** The environment the numbers are for; absent = all environments together. */
  environment?: string;
  objectives: SloObjectiveResult[];
  /** The worst status of the objectives. */
  status: SloStatus;
  source: SloSourceState;
}

/** A document in an SLO file that could not be used. */
export interface SloFileProblem {
  file: string;
  line?: number;
  field?: string;
  message: string;
}

/** Response of `GET /slos`. */
export interface EntitySlos {
  entityRef: string;
  /** The annotation's value; absent when the entity declares no SLO files. */
  sloFiles?: string;
  /** Installed SLI source types. */
  sources: string[];
  /** The environments the entity runs in (names, as used for metric labels). */
  environments: Array<{ entityRef: string; name: string; title?: string }>;
  items: SloSummary[];
  problems: SloFileProblem[];
}

/** Response of `GET /slos/gate`: may this entity deploy (to this environment) now? */
export interface SloGateResult {
  entityRef: string;
  environment?: string;
  decision: 'allow' | 'deny';
  /** Why, one line per SLO objective that decided it (or why it is allowed). */
  reasons: string[];
  evaluatedAt: string;
  slos: Array<{
    name: string;
    objective: string;
    status: SloStatus;
    budgetRemaining?: number;
    firingWindows: string[];
    source: SloSourceState['status'];
  }>;
}

/** One row of a group's SLO roll-up. */
export interface SloRollupItem {
  entityRef: string;
  entityTitle?: string;
  slo: string;
  sloTitle?: string;
  objective: string;
  target: number;
  sli?: number;
  budgetRemaining?: number;
  status: SloStatus;
  source: SloSourceState['status'];
}

/** Response of `GET /slos/rollup`: every SLO of the components a group owns, least budget first. */
export interface SloRollup {
  groupRef: string;
  items: SloRollupItem[];
  problems: Array<SloFileProblem & { entityRef: string }>;
}
