import { InputError } from '@backstage/errors';
import {
  BookingPolicy,
  PolicyUpdate,
  PolicyScope,
  PolicyScopeEntry,
  PolicySettings,
} from '@internal/plugin-environments-common';
import { rejectUnknownFields, requireObject, stringField } from './bookings';

/** A policy as set at one level; unset fields fall through to the less specific level. */
export type { PolicySettings };

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

/**
 * The policy of one environment: environment settings over tier settings over global ones.
 * Without an entity ref (or a tier too), the policy that applies at the tier (or global) level.
 */
export function resolvePolicy(
  policies: PolicySet,
  environment: { entityRef?: string; tier?: string },
): BookingPolicy {
  const { entityRef, tier } = environment;
  const levels = [
    policies.global,
    (tier !== undefined && policies.tiers.get(tier)) || {},
    (entityRef !== undefined && policies.environments.get(entityRef)) || {},
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

/** What a policy field accepts. */
type FieldRule =
  | { type: 'boolean' }
  | {
      type: 'number';
      /** Whether 0 is meaningful (no notice, no extensions) rather than "nothing allowed". */
      zeroAllowed: boolean;
      integer?: boolean;
      /** Beyond what a booking can be anyway (90 days long, 365 days ahead). */
      max: number;
    };

/**
 * Every field of a booking policy and the values it takes. The configuration, the admin API
 * and stored policies are all checked with these; the type makes a field added to
 * `BookingPolicy` fail to compile until it has its rule here, and stored policies are JSON, so
 * a new field needs no migration.
 */
export const POLICY_FIELDS: {
  readonly [K in keyof BookingPolicy]-?: FieldRule;
} = {
  maxDurationHours: { type: 'number', zeroAllowed: false, max: 90 * 24 },
  maxAdvanceDays: { type: 'number', zeroAllowed: false, max: 365 },
  minNoticeMinutes: { type: 'number', zeroAllowed: true, max: 365 * 1440 },
  maxExtensions: {
    type: 'number',
    zeroAllowed: true,
    integer: true,
    max: 1000,
  },
  requiresApproval: { type: 'boolean' },
  idleReleaseHours: { type: 'number', zeroAllowed: false, max: 90 * 24 },
};

const isPolicyField = (key: string): key is keyof BookingPolicy =>
  Object.prototype.hasOwnProperty.call(POLICY_FIELDS, key);

/** Why `value` cannot be the policy's `field`; undefined when it can. */
export function policyValueProblem(
  field: keyof BookingPolicy,
  value: unknown,
): string | undefined {
  const rule = POLICY_FIELDS[field];
  if (rule.type === 'boolean') {
    return typeof value === 'boolean' ? undefined : 'must be true or false';
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return 'must be a number';
  }
  if (rule.integer && !Number.isInteger(value)) return 'must be a whole number';
  if (value < 0 || (!rule.zeroAllowed && value === 0)) {
    return rule.zeroAllowed ? 'must be 0 or more' : 'must be more than 0';
  }
  if (value > rule.max) return `must be at most ${rule.max}`;
  return undefined;
}

/**
 * The policy fields of an admin's request, checked one by one; InputError naming the first
 * bad field (`policy.maxDurationHours: must be more than 0`). `null` leaves a field unset.
 */
export function parsePolicySettings(value: unknown): PolicySettings {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InputError('policy: must be an object of policy fields');
  }
  const settings: Record<string, unknown> = {};
  for (const [key, fieldValue] of Object.entries(value)) {
    if (!isPolicyField(key)) {
      throw new InputError(
        `policy.${key}: is not a policy field (known: ${Object.keys(
          POLICY_FIELDS,
        ).join(', ')})`,
      );
    }
    if (fieldValue === null) continue;
    const problem = policyValueProblem(key, fieldValue);
    if (problem) throw new InputError(`policy.${key}: ${problem}`);
    settings[key] = fieldValue;
  }
  return settings as PolicySettings;
}

/**
 * Limits that together leave nothing bookable, in the policy that applies at a scope once the
 * less specific levels are merged in; empty when there are none.
 */
export function policyContradictions(policy: BookingPolicy): string[] {
  const { minNoticeMinutes, maxAdvanceDays } = policy;
  if (
    minNoticeMinutes !== undefined &&
    maxAdvanceDays !== undefined &&
    minNoticeMinutes >= maxAdvanceDays * 1440
  ) {
    return [
      `policy.minNoticeMinutes: ${minNoticeMinutes} minutes of notice leave no start time within the ${maxAdvanceDays} day(s) bookings may be made ahead`,
    ];
  }
  return [];
}

/** A policy an administrator stored for one scope. */
export interface StoredPolicy {
  scope: PolicyScope;
  /** `''` for global, the tier, or the environment's entity ref. */
  scopeKey: string;
  settings: PolicySettings;
  updatedByRef: string;
  updatedAt: Date;
}

/**
 * The policies in force: a stored policy replaces the configured one of its scope as a whole
 * (fields it leaves unset fall through to the less specific scope, not to the configured
 * policy of the same scope); scopes without one keep the configured policy.
 */
export function withStoredPolicies(
  configured: PolicySet,
  stored: StoredPolicy[],
): PolicySet {
  const policies: PolicySet = {
    global: configured.global,
    tiers: new Map(configured.tiers),
    environments: new Map(configured.environments),
  };
  for (const policy of stored) {
    if (policy.scope === 'global') policies.global = policy.settings;
    else if (policy.scope === 'tier')
      policies.tiers.set(policy.scopeKey, policy.settings);
    else policies.environments.set(policy.scopeKey, policy.settings);
  }
  return policies;
}

/**
 * Every scope an administrator can set a policy for, with what applies there and where it comes
 * from: global; each tier that has an environment or a policy; each environment, and each
 * environment key that has a policy but is no longer in the catalog.
 */
export function listPolicyScopes(
  configured: PolicySet,
  stored: StoredPolicy[],
  environments: Array<{ entityRef: string; tier: string }>,
): PolicyScopeEntry[] {
  const inForce = withStoredPolicies(configured, stored);
  const keysOf = (scope: PolicyScope, configuredKeys: Iterable<string>) =>
    new Set([
      ...configuredKeys,
      ...stored.filter(p => p.scope === scope).map(p => p.scopeKey),
    ]);
  const tierOf = new Map(environments.map(e => [e.entityRef, e.tier]));
  const tiers = keysOf('tier', [
    ...configured.tiers.keys(),
    ...tierOf.values(),
  ]);
  const environmentRefs = keysOf('environment', [
    ...configured.environments.keys(),
    ...tierOf.keys(),
  ]);
  const entry = (scope: PolicyScope, key: string, tier?: string) =>
    scopeEntry(inForce, configured, stored, { scope, key, tier });
  return [
    entry('global', ''),
    ...[...tiers].sort().map(tier => entry('tier', tier)),
    ...[...environmentRefs]
      .sort()
      .map(entityRef => entry('environment', entityRef, tierOf.get(entityRef))),
  ];
}

/**
 * One scope as `listPolicyScopes` shows it, also for a scope it would leave out (an environment
 * the catalog no longer has, once its stored policy is gone).
 */
export function policyScopeEntry(
  configured: PolicySet,
  stored: StoredPolicy[],
  scope: { scope: PolicyScope; key: string; tier?: string },
): PolicyScopeEntry {
  return scopeEntry(
    withStoredPolicies(configured, stored),
    configured,
    stored,
    scope,
  );
}

function scopeEntry(
  inForce: PolicySet,
  configured: PolicySet,
  stored: StoredPolicy[],
  { scope, key, tier }: { scope: PolicyScope; key: string; tier?: string },
): PolicyScopeEntry {
  const own = stored.find(p => p.scope === scope && p.scopeKey === key);
  let configuredSettings: PolicySettings | undefined;
  let at: { entityRef?: string; tier?: string } = {};
  if (scope === 'global') {
    configuredSettings = Object.keys(configured.global).length
      ? configured.global
      : undefined;
  } else if (scope === 'tier') {
    configuredSettings = configured.tiers.get(key);
    at = { tier: key };
  } else {
    configuredSettings = configured.environments.get(key);
    at = { entityRef: key, tier };
  }
  let source: PolicyScopeEntry['source'] = 'none';
  if (own) source = 'stored';
  else if (configuredSettings) source = 'config';
  return {
    scope,
    key,
    tier: scope === 'environment' ? tier : undefined,
    source,
    settings: own?.settings ?? configuredSettings ?? {},
    configured: configuredSettings,
    effective: resolvePolicy(inForce, at),
    updatedByRef: own?.updatedByRef,
    updatedAt: own?.updatedAt.toISOString(),
  };
}

/** Validates the body of `PUT /admin/policies/...`; InputError naming the field. */
export function parsePolicyUpdate(
  body: unknown,
): Required<Pick<PolicyUpdate, 'policy'>> & { reason?: string } {
  const fields = requireObject(body);
  rejectUnknownFields(fields, ['policy', 'reason']);
  if (fields.policy === undefined) throw new InputError('policy: is required');
  return {
    policy: parsePolicySettings(fields.policy),
    reason: stringField(fields, 'reason', 4000, false),
  };
}

/** How the audit log names a scope: `global`, `tier:<tier>` or `environment:<entity ref>`. */
export function policySubject(scope: PolicyScope, key: string): string {
  return scope === 'global' ? 'global' : `${scope}:${key}`;
}

/**
 * The contradictions a change brings: those at scopes that had none before (so an admin can
 * still change other scopes while one is contradictory); empty when it brings none.
 */
export function introducedContradictions(
  before: PolicyScopeEntry[],
  after: PolicyScopeEntry[],
): string[] {
  const name = (entry: PolicyScopeEntry) =>
    policySubject(entry.scope, entry.key);
  const had = new Set(
    before
      .filter(entry => policyContradictions(entry.effective).length > 0)
      .map(name),
  );
  return after
    .filter(entry => !had.has(name(entry)))
    .flatMap(entry =>
      policyContradictions(entry.effective).map(
        problem => `${problem} (at ${name(entry)})`,
      ),
    );
}
