import {
  budgetRemaining,
  BurnRateStatus,
  burnRateWindows,
  calendarWindow,
  EventBucket,
  evaluateBurnRates,
  ratioSli,
  SloDataQuality,
  SloObjectiveResult,
  sloStatus,
  sumBuckets,
  timeToExhaustionMs,
} from '@internal/plugin-environments-common';
import { SLI_POINTS_PER_QUERY } from '@internal/plugin-environments-node';
import { MIN_COUNT_BUCKET_MS, Objective, SloDefinition } from './openslo';

const MINUTE = 60_000;
/** Bucket lengths to choose from: they divide a day, so calendar windows start on a bucket. */
const STEPS_MS = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440].map(
  m => m * MINUTE,
);
/** Points of the SLI and budget charts. */
const CHART_POINTS = 120;

/** The stretch of time an SLO is evaluated over, and the buckets its data is read in. */
export interface SloPlan {
  /** Start of the SLO window (rolling: `periodMs` before the end; calendar: its start). */
  windowStart: number;
  /** End of the calendar window, or of the rolling window (= evaluatedAt). */
  windowEnd: number;
  /** The length the budget is spread over: the full window. */
  periodMs: number;
  /** Data up to here counts: now, rounded down to a whole bucket. */
  evaluatedAt: number;
  /** Buckets end at firstEnd, firstEnd + stepMs, ..., evaluatedAt. */
  firstEnd: number;
  stepMs: number;
}

/**
 * Which buckets to read for an objective at `now`: one bucket per `step` from the SLO
 * window's start (or the longest burn-rate window, if that reaches further back) to now. The
 * step is the longest that still resolves the shortest burn-rate window, within the source's
 * point limit; timeslice methods use their slice.
 */
export function planEvaluation(
  slo: SloDefinition,
  objective: Objective,
  now: number,
): SloPlan {
  const window = slo.window.rolling
    ? undefined
    : calendarWindow(slo.window.duration, slo.window.anchor, now);
  const periodMs = window
    ? window.end - window.start
    : (slo.window as { durationMs: number }).durationMs;
  const windows = burnRateWindows(periodMs);
  const shortest = Math.min(...windows.map(w => w.shortMs));
  const longest = Math.max(...windows.map(w => w.longMs));
  const reach = Math.max(periodMs, longest);
  // Counters are read in buckets of at least MIN_COUNT_BUCKET_MS; gauges by the minute.
  const floor =
    slo.indicator.kind === 'ratio' ? MIN_COUNT_BUCKET_MS : STEPS_MS[0];
  const steps = STEPS_MS.filter(step => step >= floor);
  const stepMs =
    objective.timeSliceWindowMs ??
    [...steps]
      .reverse()
      .find(step => step <= shortest && reach / step <= SLI_POINTS_PER_QUERY) ??
    steps.find(step => reach / step <= SLI_POINTS_PER_QUERY) ??
    steps[steps.length - 1];
  const evaluatedAt = Math.floor(now / stepMs) * stepMs;
  const windowStart = window ? window.start : evaluatedAt - periodMs;
  const windowEnd = window ? window.end : evaluatedAt;
  const readFrom = Math.min(windowStart, evaluatedAt - longest);
  return {
    windowStart,
    windowEnd,
    periodMs,
    evaluatedAt,
    firstEnd: Math.floor(readFrom / stepMs) * stepMs + stepMs,
    stepMs,
  };
}

/** The series an objective is computed from, one value per bucket of the plan. */
export type ObjectiveData =
  | {
      kind: 'ratio';
      /** Good events per bucket (from `good`, or `total - bad`). */
      good: Array<number | undefined>;
      total: Array<number | undefined>;
    }
  | { kind: 'threshold'; values: Array<number | undefined> };

const OPERATIONS = {
  lt: (a: number, b: number) => a < b,
  lte: (a: number, b: number) => a <= b,
  gt: (a: number, b: number) => a > b,
  gte: (a: number, b: number) => a >= b,
};

/**
 * Good and total per bucket, whatever the method: events for Occurrences, 0/1 per slice for
 * Timeslices (a slice with data is good or bad), the slice's own ratio for RatioTimeslices.
 * Buckets where the source had nothing are left out.
 */
function toBuckets(
  slo: SloDefinition,
  objective: Objective,
  plan: SloPlan,
  data: ObjectiveData,
): EventBucket[] {
  const buckets: EventBucket[] = [];
  const length = data.kind === 'ratio' ? data.total.length : data.values.length;
  for (let i = 0; i < length; i++) {
    const end = plan.firstEnd + i * plan.stepMs;
    if (data.kind === 'threshold') {
      const value = data.values[i];
      if (value === undefined) continue;
      const good = OPERATIONS[objective.op!](value, objective.threshold!);
      buckets.push({ end, good: good ? 1 : 0, total: 1 });
      continue;
    }
    const total = data.total[i];
    if (total === undefined) continue;
    // A series that is absent while the total counts (no errors yet) counted nothing.
    const good = Math.min(total, data.good[i] ?? 0);
    if (slo.budgetingMethod === 'Occurrences') {
      buckets.push({ end, good, total });
      continue;
    }
    const sliceRatio = ratioSli({ good, total });
    if (sliceRatio === undefined) continue; // no traffic in this slice
    if (slo.budgetingMethod === 'RatioTimeslices') {
      buckets.push({ end, good: sliceRatio, total: 1 });
    } else {
      const met = sliceRatio >= objective.timeSliceTarget!;
      buckets.push({ end, good: met ? 1 : 0, total: 1 });
    }
  }
  return buckets;
}

function dataQuality(
  data: ObjectiveData,
  plan: SloPlan,
  inWindow: EventBucket[],
): SloDataQuality {
  const series = data.kind === 'ratio' ? data.total : data.values;
  const windowSeries = series.filter(
    (_, i) => plan.firstEnd + i * plan.stepMs > plan.windowStart,
  );
  if (windowSeries.every(value => value === undefined)) return 'absent';
  if (data.kind === 'ratio' && inWindow.every(b => b.total === 0)) {
    return 'no-traffic';
  }
  return windowSeries.some(value => value === undefined) ? 'partial' : 'ok';
}

/**
 * The charts: the SLI so far and the error budget burning down, from the window's start, at up
 * to CHART_POINTS times. The budget is that of the events (or slices) the window has counted so
 * far, as in the headline number, so the chart ends where the card's "budget left" stands; a
 * steady burn at exactly the budget follows the straight line from 100% to 0%.
 */
function chartSeries(
  buckets: EventBucket[],
  plan: SloPlan,
  target: number,
): SloObjectiveResult['series'] {
  const inWindow = buckets.filter(b => b.end > plan.windowStart);
  const windowTotal = inWindow.reduce((sum, b) => sum + b.total, 0);
  const allowedBad = (1 - target) * windowTotal;
  const every = Math.max(1, Math.ceil(inWindow.length / CHART_POINTS));
  const series: SloObjectiveResult['series'] = [];
  let good = 0;
  let total = 0;
  inWindow.forEach((bucket, index) => {
    good += bucket.good;
    total += bucket.total;
    if ((index + 1) % every !== 0 && index !== inWindow.length - 1) return;
    series.push({
      time: new Date(bucket.end).toISOString(),
      sli: ratioSli({ good, total }),
      budgetRemaining:
        allowedBad > 0 ? 1 - (total - good) / allowedBad : undefined,
    });
  });
  return series;
}

/**
 * An objective's SLI over the window so far, budget left (negative when overspent), burn
 * rates of the workbook windows and which would fire, time until the budget is gone at the
 * burn rate of the shortest long window, and the chart series.
 */
export function evaluateObjective(
  slo: SloDefinition,
  objective: Objective,
  plan: SloPlan,
  data: ObjectiveData,
): SloObjectiveResult {
  const buckets = toBuckets(slo, objective, plan, data);
  const inWindow = buckets.filter(b => b.end > plan.windowStart);
  const sli = ratioSli(
    sumBuckets(inWindow, plan.windowStart, plan.evaluatedAt),
  );
  const remaining =
    sli === undefined ? undefined : budgetRemaining(sli, objective.target);
  const windows = burnRateWindows(plan.periodMs);
  const burnRates: BurnRateStatus[] = evaluateBurnRates(
    windows,
    objective.target,
    windowMs => {
      // Whole buckets: at least one, so a window shorter than a slice still has data.
      const span =
        Math.max(1, Math.round(windowMs / plan.stepMs)) * plan.stepMs;
      const ratio = ratioSli(
        sumBuckets(buckets, plan.evaluatedAt - span, plan.evaluatedAt),
      );
      return ratio === undefined ? undefined : 1 - ratio;
    },
  );
  const currentRate = burnRates[0].longBurnRate;
  return {
    name: objective.name,
    target: objective.target,
    sli,
    budgetRemaining: remaining,
    burnRates,
    timeToExhaustionMs:
      remaining === undefined || currentRate === undefined
        ? undefined
        : timeToExhaustionMs(remaining, plan.periodMs, currentRate),
    status: sloStatus(remaining, burnRates),
    dataQuality: dataQuality(data, plan, inWindow),
    series: chartSeries(buckets, plan, objective.target),
  };
}
