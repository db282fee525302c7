import type { BookingPolicy, EnvironmentStatus } from './types';

/** The levels a booking policy can be set at; the most specific one that sets a field wins. */
export type PolicyScope = 'global' | 'tier' | 'environment';

/** A policy as set at one scope: unset fields fall through to the less specific scope. */
export type PolicySettings = Partial<BookingPolicy>;

/** One scope's booking policy, as `GET /admin/policies` lists it. */
export interface PolicyScopeEntry {
  scope: PolicyScope;
  /** `''` for the global scope, the tier, or the environment's entity ref. */
  key: string;
  /** For an environment: its tier, whose policy it falls back to. */
  tier?: string;
  /**
   * Where this scope's settings come from: a policy an administrator stored, the app config
   * (`environments.bookingPolicies`), or neither.
   */
  source: 'stored' | 'config' | 'none';
  /** The settings of this scope itself. */
  settings: PolicySettings;
  /** The configured settings of this scope, which deleting the stored policy returns to. */
  configured?: PolicySettings;
  /** What applies at this scope once unset fields fell through; what an environment's bookings get. */
  effective: BookingPolicy;
  /** Who stored the policy, and when; only for `stored`. */
  updatedByRef?: string;
  updatedAt?: string;
}

/** The body of `PUT /admin/policies/...`. */
export interface PolicyUpdate {
  policy: PolicySettings;
  /** Why, for the audit log. */
  reason?: string;
}

/** Values an administrator set over the catalog's annotations; they survive catalog syncs. */
export interface EnvironmentOverrides {
  bookable?: boolean;
  capacity?: number;
  componentSlots?: string[];
}

/**
 * The body of `PATCH /admin/environments/{namespace}/{name}`: absent fields stay as they are,
 * `null` removes an override so the catalog's value applies again.
 */
export interface EnvironmentStateChange {
  status?: EnvironmentStatus;
  bookable?: boolean | null;
  capacity?: number | null;
  componentSlots?: string[] | null;
  /** Why, for the audit log. */
  reason?: string;
}
