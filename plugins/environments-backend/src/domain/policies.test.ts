import {
  creationViolations,
  extensionViolations,
  introducedContradictions,
  listPolicyScopes,
  parsePolicyUpdate,
  POLICY_FIELDS,
  policyContradictions,
  policyScopeEntry,
  PolicySet,
  policyValueProblem,
  resolvePolicy,
  StoredPolicy,
  withStoredPolicies,
} from './policies';

const policies: PolicySet = {
  global: { maxDurationHours: 72, maxAdvanceDays: 30, requiresApproval: false },
  tiers: new Map([
    ['staging', { maxDurationHours: 8, requiresApproval: true }],
  ]),
  environments: new Map([
    [
      'resource:default/staging-eu',
      { maxDurationHours: 24, minNoticeMinutes: 60 },
    ],
  ]),
};

const HOUR = 3600_000;
const now = new Date('2026-11-27T12:00:00Z');
const at = (hours: number) => new Date(now.getTime() + hours * HOUR);

describe('resolvePolicy', () => {
  it('takes each setting from the most specific level that sets it', () => {
    expect(
      resolvePolicy(policies, {
        entityRef: 'resource:default/staging-eu',
        tier: 'staging',
      }),
    ).toEqual({
      maxDurationHours: 24,
      maxAdvanceDays: 30,
      minNoticeMinutes: 60,
      requiresApproval: true,
    });
    expect(
      resolvePolicy(policies, {
        entityRef: 'resource:default/qa-1',
        tier: 'test',
      }),
    ).toEqual({
      maxDurationHours: 72,
      maxAdvanceDays: 30,
      requiresApproval: false,
    });
  });

  it('applies no limits and no approval when nothing is configured', () => {
    const none = { global: {}, tiers: new Map(), environments: new Map() };
    expect(
      resolvePolicy(none, { entityRef: 'resource:default/x', tier: 'dev' }),
    ).toEqual({
      requiresApproval: false,
    });
  });
});

describe('creationViolations', () => {
  const policy = {
    maxDurationHours: 8,
    maxAdvanceDays: 2,
    minNoticeMinutes: 30,
    requiresApproval: false,
  };

  it('accepts a booking within every limit, including the exact maximum', () => {
    expect(
      creationViolations(policy, { start: at(1), end: at(9) }, now),
    ).toEqual([]);
  });

  it('names every broken limit', () => {
    expect(
      creationViolations(policy, { start: at(0.25), end: at(9) }, now),
    ).toEqual([
      'end: bookings of this environment last at most 8 h',
      "start: this environment needs 30 minutes' notice",
    ]);
    expect(
      creationViolations(policy, { start: at(49), end: at(50) }, now),
    ).toEqual(['start: this environment can be booked at most 2 days ahead']);
  });
});

describe('extensionViolations', () => {
  const policy = {
    maxDurationHours: 8,
    maxExtensions: 1,
    requiresApproval: false,
  };

  it('counts extensions and the resulting length', () => {
    expect(
      extensionViolations(policy, { start: at(0), extensionCount: 0 }, at(8)),
    ).toEqual([]);
    expect(
      extensionViolations(policy, { start: at(0), extensionCount: 1 }, at(9)),
    ).toEqual([
      'end: a booking of this environment may be extended 1 time(s)',
      'end: bookings of this environment last at most 8 h',
    ]);
  });
});

describe('policy field rules', () => {
  it.each([
    ['maxDurationHours', 8, undefined],
    ['maxDurationHours', 0.5, undefined],
    ['maxDurationHours', 0, 'must be more than 0'],
    ['maxDurationHours', 2161, 'must be at most 2160'],
    ['maxAdvanceDays', -1, 'must be more than 0'],
    ['minNoticeMinutes', 0, undefined],
    ['minNoticeMinutes', -5, 'must be 0 or more'],
    ['maxExtensions', 0, undefined],
    ['maxExtensions', 1.5, 'must be a whole number'],
    ['maxExtensions', '2', 'must be a number'],
    ['maxAdvanceDays', Infinity, 'must be a number'],
    ['requiresApproval', true, undefined],
    ['requiresApproval', 'yes', 'must be true or false'],
    ['idleReleaseHours', 4, undefined],
    ['idleReleaseHours', 0, 'must be more than 0'],
  ] as const)('%s = %j: %s', (field, value, problem) => {
    expect(policyValueProblem(field, value)).toBe(problem);
  });

  it('has a rule for every field of the booking policy', () => {
    expect(Object.keys(POLICY_FIELDS).sort()).toEqual([
      'idleReleaseHours',
      'maxAdvanceDays',
      'maxDurationHours',
      'maxExtensions',
      'minNoticeMinutes',
      'requiresApproval',
    ]);
  });
});

describe('parsePolicyUpdate', () => {
  it('keeps the fields set, drops the null ones, and keeps the reason', () => {
    expect(
      parsePolicyUpdate({
        policy: { maxDurationHours: 8, maxExtensions: null },
        reason: 'Release freeze',
      }),
    ).toEqual({
      policy: { maxDurationHours: 8 },
      reason: 'Release freeze',
    });
    expect(parsePolicyUpdate({ policy: {} })).toEqual({
      policy: {},
      reason: undefined,
    });
  });

  it.each([
    [{}, 'policy: is required'],
    [{ policy: [] }, 'policy: must be an object of policy fields'],
    [
      { policy: { maxDurationHours: 0 } },
      'policy.maxDurationHours: must be more than 0',
    ],
    [
      { policy: { maxHours: 8 } },
      'policy.maxHours: is not a policy field (known: maxDurationHours, maxAdvanceDays, minNoticeMinutes, maxExtensions, requiresApproval, idleReleaseHours)',
    ],
    [{ policy: {}, note: 'x' }, 'Unknown field(s): note'],
    [{ policy: {}, reason: 7 }, 'reason: must be a string'],
  ])('refuses %j: %s', (body, message) => {
    expect(() => parsePolicyUpdate(body)).toThrow(message);
  });
});

describe('policyContradictions', () => {
  it('finds a notice that reaches past the advance window', () => {
    // 2 days of notice, bookable at most 1 day ahead: no start time fits both.
    expect(
      policyContradictions({
        minNoticeMinutes: 2880,
        maxAdvanceDays: 1,
        requiresApproval: false,
      }),
    ).toEqual([
      'policy.minNoticeMinutes: 2880 minutes of notice leave no start time within the 1 day(s) bookings may be made ahead',
    ]);
    // 23 hours of notice within a 1-day window leave an hour of start times.
    expect(
      policyContradictions({
        minNoticeMinutes: 1380,
        maxAdvanceDays: 1,
        requiresApproval: false,
      }),
    ).toEqual([]);
    expect(
      policyContradictions({
        minNoticeMinutes: 99999,
        requiresApproval: false,
      }),
    ).toEqual([]);
  });
});

describe('stored policies', () => {
  const stored = (
    scope: StoredPolicy['scope'],
    scopeKey: string,
    settings: StoredPolicy['settings'],
  ): StoredPolicy => ({
    scope,
    scopeKey,
    settings,
    updatedByRef: 'user:default/dave',
    updatedAt: now,
  });

  it('replace the configured policy of their scope as a whole', () => {
    // Configured: staging 8 h with approval. Stored: staging 4 h, nothing about approval.
    const inForce = withStoredPolicies(policies, [
      stored('tier', 'staging', { maxDurationHours: 4 }),
    ]);
    expect(
      resolvePolicy(inForce, {
        entityRef: 'resource:default/staging-us',
        tier: 'staging',
      }),
    ).toEqual({
      maxDurationHours: 4,
      maxAdvanceDays: 30,
      // Unset in the stored staging policy: global's false, not the configured tier's true.
      requiresApproval: false,
    });
    // The environment's configured policy still applies over the stored tier one.
    expect(
      resolvePolicy(inForce, {
        entityRef: 'resource:default/staging-eu',
        tier: 'staging',
      }).maxDurationHours,
    ).toBe(24);
    // The configuration itself is untouched.
    expect(policies.tiers.get('staging')).toEqual({
      maxDurationHours: 8,
      requiresApproval: true,
    });
  });

  it('can set global and environment scopes too', () => {
    const inForce = withStoredPolicies(policies, [
      stored('global', '', { maxAdvanceDays: 7 }),
      stored('environment', 'resource:default/qa-1', { maxExtensions: 0 }),
    ]);
    expect(
      resolvePolicy(inForce, {
        entityRef: 'resource:default/qa-1',
        tier: 'test',
      }),
    ).toEqual({ maxAdvanceDays: 7, maxExtensions: 0, requiresApproval: false });
  });

  it('list every scope with its source, configured settings and the policy in force', () => {
    const scopes = listPolicyScopes(
      policies,
      [
        stored('tier', 'staging', { maxDurationHours: 4 }),
        stored('environment', 'resource:default/gone', { maxExtensions: 1 }),
      ],
      [
        { entityRef: 'resource:default/staging-eu', tier: 'staging' },
        { entityRef: 'resource:default/qa-1', tier: 'test' },
      ],
    );
    expect(scopes.map(s => [s.scope, s.key, s.source])).toEqual([
      ['global', '', 'config'],
      ['tier', 'staging', 'stored'],
      ['tier', 'test', 'none'],
      // A stored policy of an environment the catalog no longer has, so it can be reset.
      ['environment', 'resource:default/gone', 'stored'],
      ['environment', 'resource:default/qa-1', 'none'],
      ['environment', 'resource:default/staging-eu', 'config'],
    ]);
    expect(scopes[1]).toEqual({
      scope: 'tier',
      key: 'staging',
      tier: undefined,
      source: 'stored',
      settings: { maxDurationHours: 4 },
      configured: { maxDurationHours: 8, requiresApproval: true },
      effective: {
        maxDurationHours: 4,
        maxAdvanceDays: 30,
        requiresApproval: false,
      },
      updatedByRef: 'user:default/dave',
      updatedAt: '2026-11-27T12:00:00.000Z',
    });
    expect(scopes[5]).toMatchObject({
      tier: 'staging',
      settings: { maxDurationHours: 24, minNoticeMinutes: 60 },
      effective: {
        maxDurationHours: 24,
        maxAdvanceDays: 30,
        minNoticeMinutes: 60,
        requiresApproval: false,
      },
    });
  });

  it('describe a scope the list leaves out, such as a removed environment once reset', () => {
    expect(
      policyScopeEntry(policies, [], {
        scope: 'environment',
        key: 'resource:default/gone',
      }),
    ).toEqual({
      scope: 'environment',
      key: 'resource:default/gone',
      tier: undefined,
      source: 'none',
      settings: {},
      configured: undefined,
      effective: {
        maxDurationHours: 72,
        maxAdvanceDays: 30,
        requiresApproval: false,
      },
      updatedByRef: undefined,
      updatedAt: undefined,
    });
  });

  it('names the contradictions a change brings, not those it found', () => {
    const environments = [
      { entityRef: 'resource:default/staging-eu', tier: 'staging' },
    ];
    const before = listPolicyScopes(policies, [], environments);
    // Global bookable 30 days ahead; staging-eu needs 60 minutes' notice. A global window of
    // 0.04 days (57.6 minutes) contradicts staging-eu's notice, nowhere else.
    const after = listPolicyScopes(
      policies,
      [stored('global', '', { maxAdvanceDays: 0.04 })],
      environments,
    );
    expect(introducedContradictions(before, after)).toEqual([
      'policy.minNoticeMinutes: 60 minutes of notice leave no start time within the 0.04 day(s) bookings may be made ahead (at environment:resource:default/staging-eu)',
    ]);
    expect(introducedContradictions(after, after)).toEqual([]);
  });
});
