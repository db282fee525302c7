/** Why a booking request was refused, as `booking_refusals` records it. */
export type RefusalKind = 'conflict' | 'policy' | 'blackout' | 'status';

export const REFUSAL_KINDS: RefusalKind[] = [
  'conflict',
  'policy',
  'blackout',
  'status',
];

/**
 * The usage figures of one environment, one tier or one day. Hours are sums, so figures of
 * several environments add up; the ratios are computed from the sums (time-weighted), never
 * averaged. A ratio is absent when its denominator is 0 (nothing to measure).
 */
export interface UsageFigures {
  /** Time a health probe answered 2xx, outside maintenance. */
  upHours: number;
  /** Time covered by health probes, or in maintenance: availability's denominator. */
  observedHours: number;
  /** upHours / observedHours. */
  availability?: number;
  /** Booking-hours of held bookings in bookable time (one booking = one of the capacity's places). */
  bookedSlotHours: number;
  /** capacity × hours the environment could be booked (no blackout, maintenance or retirement). */
  bookableSlotHours: number;
  /** bookedSlotHours / bookableSlotHours. */
  usage?: number;
  /** Booking-hours not within the activity window after a deployment to the environment. */
  idleBookedHours: number;
  /** Bookings approved after waiting for approval, decided in the period. */
  approvals: number;
  /** Sum of their waits from request to approval, in hours. */
  approvalLeadHours: number;
  /** approvalLeadHours / approvals. */
  meanApprovalLeadHours?: number;
  /** Refused booking requests in the period, by reason. */
  refusals: Record<RefusalKind, number>;
}

export interface EnvironmentUsage extends UsageFigures {
  entityRef: string;
  title?: string;
  tier: string;
  capacity: number;
  /** The deployment-activity window used for idle time, in hours. */
  activityWindowHours: number;
}

export interface TierUsage extends UsageFigures {
  tier: string;
  environments: number;
}

export interface DailyUsage extends UsageFigures {
  /** The UTC day, `YYYY-MM-DD`. */
  date: string;
}

/** Response of `GET /analytics/usage`. */
export interface UsageReport {
  from: string;
  to: string;
  environments: EnvironmentUsage[];
  tiers: TierUsage[];
  /** Every selected environment together, per UTC day of the period. */
  daily: DailyUsage[];
  /** Every selected environment together over the whole period. */
  total: UsageFigures;
}
