import { parseOpenSlo, SloDefinition } from './openslo';
import { evaluateObjective, planEvaluation } from './sloEvaluation';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const NOW = Date.parse('2026-11-27T08:03:20Z');

function slo(spec: {
  window?: string;
  method?: string;
  objective?: string;
  indicator?: string;
}): SloDefinition {
  const content = `apiVersion: openslo/v1
kind: SLO
metadata:
  name: test
spec:
  indicator:
    spec:
${
  spec.indicator ??
  `      ratioMetric:
        bad: { metricSource: { type: prometheus, spec: { query: errors_total } } }
        total: { metricSource: { type: prometheus, spec: { query: requests_total } } }`
}
  timeWindow:
${spec.window ?? '    - { duration: 30d, isRolling: true }'}
  budgetingMethod: ${spec.method ?? 'Occurrences'}
  objectives:
    - ${spec.objective ?? '{ target: 0.999 }'}
`;
  const { slos, problems } = parseOpenSlo([{ path: 'slo.yaml', content }]);
  expect(problems).toEqual([]);
  return slos[0];
}

describe('planEvaluation', () => {
  it('reads a 30-day SLO in 5-minute buckets: 8,640 points, within one query each', () => {
    const definition = slo({});
    const plan = planEvaluation(definition, definition.objectives[0], NOW);
    expect(plan.stepMs).toBe(5 * MINUTE);
    expect(plan.evaluatedAt).toBe(Date.parse('2026-11-27T08:00:00Z'));
    expect(plan.windowStart).toBe(plan.evaluatedAt - 30 * DAY);
    expect((plan.evaluatedAt - plan.firstEnd) / plan.stepMs + 1).toBe(8640);
  });

  it('reads counters in buckets of at least 5 minutes, where a counter shows an increase', () => {
    const definition = slo({
      window: '    - { duration: 7d, isRolling: true }',
    });
    const plan = planEvaluation(definition, definition.objectives[0], NOW);
    expect(plan.stepMs).toBe(5 * MINUTE);
    expect((plan.evaluatedAt - plan.firstEnd) / plan.stepMs + 1).toBe(2016);
  });

  it('reaches back past a calendar window that just began, for the burn-rate windows', () => {
    const definition = slo({
      window:
        '    - { duration: 1M, isRolling: false, calendar: { startTime: "2026-01-01 00:00:00", timeZone: UTC } }',
    });
    const early = Date.parse('2026-11-02T10:00:00Z');
    const plan = planEvaluation(definition, definition.objectives[0], early);
    expect(plan.windowStart).toBe(Date.parse('2026-11-01T00:00:00Z'));
    expect(plan.windowEnd).toBe(Date.parse('2026-12-01T00:00:00Z'));
    expect(plan.periodMs).toBe(30 * DAY);
    // The 3-day window (scaled to 30 days: 3 days) reaches into October.
    expect(plan.firstEnd).toBe(early - 3 * DAY + plan.stepMs);
  });

  it('keeps a quarter within the point limit with longer buckets', () => {
    const definition = slo({
      window:
        '    - { duration: 1Q, isRolling: false, calendar: { startTime: "2026-01-01 00:00:00" } }',
    });
    const plan = planEvaluation(definition, definition.objectives[0], NOW);
    expect(plan.stepMs).toBe(15 * MINUTE);
    expect((plan.evaluatedAt - plan.firstEnd) / plan.stepMs).toBeLessThan(
      11_000,
    );
  });

  it('uses the slice as the bucket for timeslices', () => {
    const definition = slo({
      method: 'Timeslices',
      objective:
        '{ target: 0.99, timeSliceTarget: 0.95, timeSliceWindow: 10m }',
    });
    expect(
      planEvaluation(definition, definition.objectives[0], NOW).stepMs,
    ).toBe(10 * MINUTE);
  });
});

describe('evaluateObjective', () => {
  const definition = slo({ window: '    - { duration: 1d, isRolling: true }' });
  const objective = definition.objectives[0];
  const plan = planEvaluation(definition, objective, NOW);
  const buckets = (plan.evaluatedAt - plan.firstEnd) / plan.stepMs + 1;
  // 1,000 requests per bucket; 1 bad in each, and 100 bad in each of the last 12 buckets.
  const total = Array.from({ length: buckets }, () => 1000);
  const bad = total.map((_, i) => (i >= buckets - 12 ? 100 : 1));
  const good = total.map((t, i) => t - bad[i]);

  it('computes the SLI, the budget left, burn rates and the time to exhaustion', () => {
    const result = evaluateObjective(definition, objective, plan, {
      kind: 'ratio',
      good,
      total,
    });
    // The window holds every 5-minute bucket of the day.
    const windowBuckets = (plan.evaluatedAt - plan.windowStart) / plan.stepMs;
    expect(windowBuckets).toBe(288);
    const badInWindow = windowBuckets - 12 + 12 * 100;
    const sli = 1 - badInWindow / (windowBuckets * 1000);
    expect(result.sli).toBeCloseTo(sli, 12);
    expect(result.budgetRemaining).toBeCloseTo(1 - (1 - sli) / 0.001, 9);
    expect(result.budgetRemaining).toBeLessThan(0);
    expect(result.status).toBe('breached');
    expect(result.dataQuality).toBe('ok');
    // The first row's windows (1h/5m scaled to 1 day: 2m/10s) round to one bucket each.
    expect(result.burnRates[0].longBurnRate).toBeCloseTo(100, 9);
    expect(result.burnRates[0].shortBurnRate).toBeCloseTo(100, 9);
    expect(result.burnRates[0].firing).toBe(true);
    expect(result.timeToExhaustionMs).toBe(0);
    expect(result.series.length).toBeLessThanOrEqual(120);
    // The burn-down starts near a full budget and ends where the budget stands now.
    expect(result.series[0].budgetRemaining).toBeGreaterThan(0.9);
    expect(result.series[result.series.length - 1]).toEqual({
      time: new Date(plan.evaluatedAt).toISOString(),
      sli: expect.closeTo(sli, 12),
      budgetRemaining: expect.closeTo(result.budgetRemaining!, 9),
    });
  });

  it('treats a missing bad series as no errors, while the total counts', () => {
    const result = evaluateObjective(definition, objective, plan, {
      kind: 'ratio',
      good: total.map(() => undefined),
      total,
    });
    // With `good` absent (an SLO written with good), nothing was good.
    expect(result.sli).toBe(0);
    const healthy = evaluateObjective(definition, objective, plan, {
      kind: 'ratio',
      good: total,
      total,
    });
    expect(healthy).toMatchObject({
      sli: 1,
      budgetRemaining: 1,
      status: 'healthy',
      timeToExhaustionMs: undefined,
    });
  });

  it('says no data instead of a number when the metric is absent or counted nothing', () => {
    const absent = evaluateObjective(definition, objective, plan, {
      kind: 'ratio',
      good: total.map(() => undefined),
      total: total.map(() => undefined),
    });
    expect(absent).toMatchObject({
      sli: undefined,
      budgetRemaining: undefined,
      status: 'no-data',
      dataQuality: 'absent',
    });
    const idle = evaluateObjective(definition, objective, plan, {
      kind: 'ratio',
      good: total.map(() => 0),
      total: total.map(() => 0),
    });
    expect(idle).toMatchObject({ sli: undefined, dataQuality: 'no-traffic' });
    expect(idle.burnRates.every(w => w.longBurnRate === undefined)).toBe(true);

    const gappy = evaluateObjective(definition, objective, plan, {
      kind: 'ratio',
      good,
      total: total.map((t, i) => (i % 2 ? undefined : t)),
    });
    expect(gappy.dataQuality).toBe('partial');
  });

  it('counts bad slices for Timeslices and averages slice ratios for RatioTimeslices', () => {
    const sliced = slo({
      window: '    - { duration: 1d, isRolling: true }',
      method: 'Timeslices',
      objective: '{ target: 0.99, timeSliceTarget: 0.95, timeSliceWindow: 5m }',
    });
    const slicePlan = planEvaluation(sliced, sliced.objectives[0], NOW);
    const slices =
      (slicePlan.evaluatedAt - slicePlan.firstEnd) / slicePlan.stepMs + 1;
    // 288 slices a day; the last 3 at 90% (bad), the rest at 100%.
    const sliceTotal = Array.from({ length: slices }, () => 100);
    const sliceGood = sliceTotal.map((t, i) => (i >= slices - 3 ? 90 : t));
    const timeslices = evaluateObjective(
      sliced,
      sliced.objectives[0],
      slicePlan,
      {
        kind: 'ratio',
        good: sliceGood,
        total: sliceTotal,
      },
    );
    expect(timeslices.sli).toBeCloseTo(285 / 288, 12);
    // 1% of 288 slices is 2.88 bad slices allowed; 3 spent.
    expect(timeslices.budgetRemaining).toBeCloseTo(1 - 3 / 2.88, 9);

    const ratioSliced = slo({
      window: '    - { duration: 1d, isRolling: true }',
      method: 'RatioTimeslices',
      objective: '{ target: 0.99, timeSliceWindow: 5m }',
    });
    const ratioSlices = evaluateObjective(
      ratioSliced,
      ratioSliced.objectives[0],
      slicePlan,
      { kind: 'ratio', good: sliceGood, total: sliceTotal },
    );
    expect(ratioSlices.sli).toBeCloseTo((285 + 3 * 0.9) / 288, 12);
  });

  it('judges threshold slices by their operator', () => {
    const latency = slo({
      window: '    - { duration: 1d, isRolling: true }',
      method: 'Timeslices',
      indicator:
        '      thresholdMetric: { metricSource: { type: prometheus, spec: { query: latency_seconds } } }',
      objective: '{ target: 0.9, timeSliceWindow: 5m, op: lte, value: 0.3 }',
    });
    const slicePlan = planEvaluation(latency, latency.objectives[0], NOW);
    const slices =
      (slicePlan.evaluatedAt - slicePlan.firstEnd) / slicePlan.stepMs + 1;
    // Repeating: above the threshold, at it, without data, below it.
    const pattern = [0.31, 0.3, undefined, 0.1];
    const values = Array.from({ length: slices }, (_, i) => pattern[i % 4]);
    const result = evaluateObjective(
      latency,
      latency.objectives[0],
      slicePlan,
      {
        kind: 'threshold',
        values,
      },
    );
    // Of every 4 slices: one above 0.3 (bad), one at 0.3 (good, lte), one without data.
    expect(result.sli).toBeCloseTo(2 / 3, 2);
    expect(result.dataQuality).toBe('partial');
  });
});
