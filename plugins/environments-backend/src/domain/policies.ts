import { BookingPolicy } from '@internal/plugin-environments-common';

/** A policy as configured at one level; unset fields fall through to the less specific level. */
export type PolicySettings = Partial<BookingPolicy>;

/** All configured policies: global, per tier and per environment ref. */
export interface PolicySet {
  global: PolicySettings;
  tiers: Map<string, PolicySettings>;
  environments: Map<string, PolicySettings>;
}

export const EMPTY_POLICY_SET: PolicySet = {
  global: {},
  tiers: new Map(),
  environments: new Map(),
};

/** The policy of one environment: environment settings over tier settings over global ones. */
export function resolvePolicy(
  policies: PolicySet,
  environment: { entityRef: string; tier: string },
): BookingPolicy {
  const levels = [
    policies.global,
    policies.tiers.get(environment.tier) ?? {},
    policies.environments.get(environment.entityRef) ?? {},
  ];
  const resolved: PolicySettings = {};
  for (const level of levels) {
    for (const [key, value] of Object.entries(level)) {
      if (value !== undefined)
        (resolved as Record<string, unknown>)[key] = value;
    }
  }
  return { ...resolved, requiresApproval: resolved.requiresApproval ?? false };
}

const HOUR = 3600_000;

/** Why a new booking breaks the policy; empty when it complies. */
export function creationViolations(
  policy: BookingPolicy,
  booking: { start: Date; end: Date },
  now: Date,
): string[] {
  const violations: string[] = [];
  const duration = booking.end.getTime() - booking.start.getTime();
  if (
    policy.maxDurationHours !== undefined &&
    duration > policy.maxDurationHours * HOUR
  ) {
    violations.push(
      `end: bookings of this environment last at most ${policy.maxDurationHours} h`,
    );
  }
  const lead = booking.start.getTime() - now.getTime();
  if (
    policy.maxAdvanceDays !== undefined &&
    lead > policy.maxAdvanceDays * 24 * HOUR
  ) {
    violations.push(
      `start: this environment can be booked at most ${policy.maxAdvanceDays} days ahead`,
    );
  }
  if (
    policy.minNoticeMinutes !== undefined &&
    lead < policy.minNoticeMinutes * 60_000
  ) {
    violations.push(
      `start: this environment needs ${policy.minNoticeMinutes} minutes' notice`,
    );
  }
  return violations;
}

/** Why extending a booking to `end` breaks the policy; empty when it complies. */
export function extensionViolations(
  policy: BookingPolicy,
  booking: { start: Date; extensionCount: number },
  end: Date,
): string[] {
  const violations: string[] = [];
  if (
    policy.maxExtensions !== undefined &&
    booking.extensionCount >= policy.maxExtensions
  ) {
    violations.push(
      `end: a booking of this environment may be extended ${policy.maxExtensions} time(s)`,
    );
  }
  const duration = end.getTime() - booking.start.getTime();
  if (
    policy.maxDurationHours !== undefined &&
    duration > policy.maxDurationHours * HOUR
  ) {
    violations.push(
      `end: bookings of this environment last at most ${policy.maxDurationHours} h`,
    );
  }
  return violations;
}
