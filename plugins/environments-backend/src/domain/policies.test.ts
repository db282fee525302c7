import {
  creationViolations,
  extensionViolations,
  PolicySet,
  resolvePolicy,
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
