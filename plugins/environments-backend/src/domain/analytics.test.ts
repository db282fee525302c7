import {
  daysOf,
  slotTime,
  statusIntervals,
  UsageFacts,
  usageReport,
} from './analytics';

const HOUR = 3600_000;
const BASE = Date.parse('2026-11-01T00:00:00Z');
/** `h(x)` is x hours after midnight of 1 November 2026 (UTC). */
const h = (hours: number) => BASE + hours * HOUR;
const span = (from: number, to: number) => ({ start: h(from), end: h(to) });

function facts(
  overrides: Partial<Omit<UsageFacts, 'environment'>> & {
    environment?: Partial<UsageFacts['environment']>;
  },
): UsageFacts {
  return {
    probes: [],
    maintenance: [],
    closed: [],
    bookings: [],
    deployments: [],
    approvals: [],
    refusals: [],
    activityWindowMs: 2 * HOUR,
    ...overrides,
    environment: {
      entityRef: 'resource:default/qa-1',
      tier: 'test',
      capacity: 1,
      bookable: true,
      ...overrides.environment,
    },
  };
}

/**
 * QA 1, capacity 2, over the day [0 h, 24 h), probes speaking for 1 h:
 *
 * - probes at 0 ok, 1 ok, 2 failed, 3 ok, 10 ok: up [0,2) + [3,4) + [10,11) = 4 h, probed
 *   [0,4) + [10,11) = 5 h.
 * - maintenance [10,14): observed = [0,4) + [10,14) = 8 h; up outside maintenance
 *   = [0,2) + [3,4) = 3 h; availability 3 / 8 = 0.375.
 * - a blackout [20,22): bookable = [0,10) + [14,20) + [22,24) = 18 h, times 2 places = 36 h.
 * - bookings [0,6), [4,12) and [21,23) (made with the blackout override): booked in bookable
 *   time 6 + [4,10) 6 + [22,23) 1 = 13 h; usage 13 / 36 = 0.3611.
 * - deployments at 1 and 5 with a 2 h activity window: active [1,3) + [5,7). Idle:
 *   [0,6) 6 - ([1,3) + [5,6)) 3 = 3; [4,10) 6 - [5,7) 2 = 4; [22,23) 1 - 0 = 1; 8 h in all.
 * - approvals requested at 0 and approved at 3 (3 h), requested at 20 and approved at 21
 *   (1 h), and one approved the next day (not counted): 2 approvals, 4 h, mean 2 h.
 * - refusals: conflicts at 5 and 6, policy at 7, a blackout refusal at 24 (the next day).
 */
const qa1 = facts({
  environment: { entityRef: 'resource:default/qa-1', capacity: 2 },
  probes: [
    { at: h(0), ok: true },
    { at: h(1), ok: true },
    { at: h(2), ok: false },
    { at: h(3), ok: true },
    { at: h(10), ok: true },
  ],
  maintenance: [span(10, 14)],
  closed: [span(20, 22)],
  bookings: [span(0, 6), span(4, 12), span(21, 23)],
  deployments: [h(1), h(5)],
  approvals: [
    { requestedAt: h(0), approvedAt: h(3) },
    { requestedAt: h(20), approvedAt: h(21) },
    { requestedAt: h(22), approvedAt: h(25) },
  ],
  refusals: [
    { at: h(5), kind: 'conflict' },
    { at: h(6), kind: 'conflict' },
    { at: h(7), kind: 'policy' },
    { at: h(24), kind: 'blackout' },
  ],
});

/**
 * QA 2, capacity 1, first seen at 6 h: one ok probe at 0 (up 1 h of 1 h observed); bookable
 * [6,24) = 18 h; the booking [0,12) counts from 6: 6 h booked, all idle (no deployment).
 */
const qa2 = facts({
  environment: { entityRef: 'resource:default/qa-2', firstSeenAt: h(6) },
  probes: [{ at: h(0), ok: true }],
  bookings: [span(0, 12)],
});

/** Production: not bookable, never probed. */
const prod = facts({
  environment: {
    entityRef: 'resource:default/prod',
    tier: 'prod',
    bookable: false,
  },
  bookings: [span(0, 1)],
});

const noRefusals = { conflict: 0, policy: 0, blackout: 0, status: 0 };

describe('usageReport', () => {
  const report = usageReport([qa1, qa2, prod], span(0, 24), {
    probeCoverageMs: HOUR,
  });

  it('measures each environment', () => {
    expect(report.environments[0]).toEqual({
      entityRef: 'resource:default/qa-1',
      title: undefined,
      tier: 'test',
      capacity: 2,
      activityWindowHours: 2,
      upHours: 3,
      observedHours: 8,
      availability: 0.375,
      bookedSlotHours: 13,
      bookableSlotHours: 36,
      usage: 13 / 36,
      idleBookedHours: 8,
      approvals: 2,
      approvalLeadHours: 4,
      meanApprovalLeadHours: 2,
      refusals: { ...noRefusals, conflict: 2, policy: 1 },
    });
    expect(report.environments[1]).toMatchObject({
      upHours: 1,
      observedHours: 1,
      availability: 1,
      bookedSlotHours: 6,
      bookableSlotHours: 18,
      usage: 1 / 3,
      idleBookedHours: 6,
      approvals: 0,
      meanApprovalLeadHours: undefined,
    });
  });

  it('leaves a ratio out when there is nothing to measure it on', () => {
    expect(report.environments[2]).toMatchObject({
      observedHours: 0,
      availability: undefined,
      bookedSlotHours: 0,
      bookableSlotHours: 0,
      usage: undefined,
    });
  });

  it('weights tiers by time, not by averaging percentages', () => {
    // (3 + 1) / (8 + 1) = 0.444, where the mean of 0.375 and 1 would be 0.6875;
    // usage (13 + 6) / (36 + 18) = 0.352.
    expect(report.tiers).toEqual([
      expect.objectContaining({
        tier: 'prod',
        environments: 1,
        availability: undefined,
      }),
      expect.objectContaining({
        tier: 'test',
        environments: 2,
        upHours: 4,
        observedHours: 9,
        availability: 4 / 9,
        bookedSlotHours: 19,
        bookableSlotHours: 54,
        usage: 19 / 54,
        idleBookedHours: 14,
        refusals: { ...noRefusals, conflict: 2, policy: 1 },
      }),
    ]);
    expect(report.total).toMatchObject({
      availability: 4 / 9,
      usage: 19 / 54,
      approvals: 2,
      meanApprovalLeadHours: 2,
    });
  });

  it('gives one day of a one-day period', () => {
    expect(report.daily).toEqual([{ date: '2026-11-01', ...report.total }]);
  });

  it('splits a period into UTC days, the first and last cut to it', () => {
    // A booking [10, 30) of a capacity-1 environment, over [12, 36): 12 of 12 h booked on
    // the 1st, [24, 30) = 6 of 12 h on the 2nd, 18 of 24 h in all.
    const busy = facts({ bookings: [span(10, 30)] });
    const { daily, total } = usageReport([busy], span(12, 36), {
      probeCoverageMs: HOUR,
    });
    expect(daily.map(d => [d.date, d.bookedSlotHours, d.usage])).toEqual([
      ['2026-11-01', 12, 1],
      ['2026-11-02', 6, 0.5],
    ]);
    expect(total.usage).toBe(0.75);
  });

  it('lets a probe speak until the next one, at most for its coverage', () => {
    // Probes at 0 (failed) and 0.5 (ok) with 1 h coverage: down [0, 0.5), up [0.5, 1.5).
    const { total } = usageReport(
      [
        facts({
          probes: [
            { at: h(0), ok: false },
            { at: h(0.5), ok: true },
          ],
        }),
      ],
      span(0, 24),
      { probeCoverageMs: HOUR },
    );
    expect(total).toMatchObject({ upHours: 1, observedHours: 1.5 });
  });
});

describe('daysOf', () => {
  it('names each UTC day the period touches', () => {
    expect(daysOf(span(23, 25))).toEqual([
      { date: '2026-11-01', ...span(23, 24) },
      { date: '2026-11-02', ...span(24, 25) },
    ]);
  });
});

describe('slotTime', () => {
  const window = span(0, 168);

  it('counts one booking as one of the places: 1 of 5 places all week is 20%', () => {
    const { bookedMs, bookableMs } = slotTime({
      held: [span(-10, 200)],
      closed: [],
      capacity: 5,
      window,
    });
    // 168 h booked (cut to the window) of 5 × 168 = 840 h.
    expect([bookedMs / HOUR, bookableMs / HOUR]).toEqual([168, 840]);
  });

  it('leaves closed time out of both sides', () => {
    // Closed [10, 20) and [15, 30) = [10, 30), 20 h: bookable 148 h. Booked [0, 40) minus the
    // closed 20 h = 20 h, and [100, 101) = 1 h.
    expect(
      slotTime({
        held: [span(0, 40), span(100, 101)],
        closed: [span(10, 20), span(15, 30)],
        capacity: 1,
        window,
      }),
    ).toEqual({ bookedMs: 21 * HOUR, bookableMs: 148 * HOUR });
  });
});

describe('statusIntervals', () => {
  const period = span(0, 24);

  it('follows the recorded changes, then the current status from its start', () => {
    // Available until 6, maintenance [6, 10), available [10, 20), retired since 20.
    expect(
      statusIntervals({
        changes: [
          { at: h(6), from: 'available', to: 'maintenance' },
          { at: h(10), from: 'maintenance', to: 'available' },
        ],
        current: { status: 'retired', since: h(20) },
        period,
      }),
    ).toEqual([
      { ...span(0, 6), status: 'available' },
      { ...span(6, 10), status: 'maintenance' },
      { ...span(10, 20), status: 'available' },
      { ...span(20, 24), status: 'retired' },
    ]);
  });

  it('starts from the first change’s previous status, also before the period', () => {
    // In maintenance from 2 days before the period until 3 h into it; now available since 3.
    expect(
      statusIntervals({
        changes: [
          { at: h(-48), from: 'available', to: 'maintenance' },
          { at: h(3), from: 'maintenance', to: 'available' },
        ],
        current: { status: 'available', since: h(3) },
        period,
      }),
    ).toEqual([
      { ...span(0, 3), status: 'maintenance' },
      { ...span(3, 24), status: 'available' },
    ]);
  });

  it('counts as available before the current status began when no change is recorded', () => {
    expect(
      statusIntervals({
        changes: [],
        current: { status: 'maintenance', since: h(8) },
        period,
      }),
    ).toEqual([
      { ...span(0, 8), status: 'available' },
      { ...span(8, 24), status: 'maintenance' },
    ]);
  });
});
