/**
 * Error-budget arithmetic of service level objectives, after the Google SRE book and workbook
 * and the OpenSLO v1 budgeting methods. Pure functions over numbers: the backend fetches event
 * counts, these turn them into SLIs, budgets and burn rates, and the UI shows the same numbers.
 *
 * A value that cannot be known (no traffic, no data) is `undefined`, never 100% or 0%.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Good and total events counted over one stretch of time. */
export interface EventCounts {
  good: number;
  total: number;
}

/** Event counts of the bucket of time ending at `end` (ms since the epoch), `step` long. */
export interface EventBucket extends EventCounts {
  end: number;
}

/** The SLI of a ratio: good over total; undefined when there were no events or the data is not finite. */
export function ratioSli({ good, total }: EventCounts): number | undefined {
  if (!Number.isFinite(good) || !Number.isFinite(total) || total <= 0) {
    return undefined;
  }
  // Counter extrapolation can put good a hair above total; an SLI above 1 means nothing.
  return Math.min(1, Math.max(0, good / total));
}

/** The error budget as a ratio: the share of events (or time) allowed to be bad. */
export function errorBudget(target: number): number {
  return 1 - target;
}

/** The error budget of a period as time: 99.9% over 30 days allows 43.2 minutes. */
export function errorBudgetMs(target: number, periodMs: number): number {
  return errorBudget(target) * periodMs;
}

/**
 * The share of the budget left given the SLI so far: 1 when nothing went wrong, 0 when exactly
 * spent, negative once the objective is breached (not clamped, so the overspend shows).
 */
export function budgetRemaining(sli: number, target: number): number {
  return 1 - (1 - sli) / errorBudget(target);
}

/** How fast the budget burns: 1 spends exactly the budget over the period, 14.4 in 1/14.4 of it. */
export function burnRate(errorRatio: number, target: number): number {
  return errorRatio / errorBudget(target);
}

/**
 * How long until the budget is gone at a constant burn rate: `remaining × period / burnRate`.
 * 0 when already spent; undefined when nothing burns (it never runs out).
 */
export function timeToExhaustionMs(
  remaining: number,
  periodMs: number,
  rate: number,
): number | undefined {
  if (remaining <= 0) return 0;
  if (!(rate > 0) || !Number.isFinite(rate)) return undefined;
  return (remaining * periodMs) / rate;
}

/**
 * The summed counts of the buckets that end in `(from, to]`, and whether every bucket of that
 * stretch was there. Buckets do not overlap, so any window is a sum of whole buckets.
 */
export function sumBuckets(
  buckets: EventBucket[],
  from: number,
  to: number,
): EventCounts & { buckets: number } {
  let good = 0;
  let total = 0;
  let count = 0;
  for (const bucket of buckets) {
    if (bucket.end > from && bucket.end <= to) {
      good += bucket.good;
      total += bucket.total;
      count += 1;
    }
  }
  return { good, total, buckets: count };
}

/**
 * OpenSLO `Timeslices`: the share of slices that met their own target. A slice without data
 * counts neither way.
 */
export function timeslicesSli(
  slices: Array<number | undefined>,
  isGoodSlice: (value: number) => boolean,
): number | undefined {
  const known = slices.filter(
    (value): value is number => value !== undefined && Number.isFinite(value),
  );
  if (known.length === 0) return undefined;
  return known.filter(isGoodSlice).length / known.length;
}

/** OpenSLO `RatioTimeslices`: the mean of the slices' own ratios. */
export function ratioTimeslicesSli(
  sliceRatios: Array<number | undefined>,
): number | undefined {
  const known = sliceRatios.filter(
    (value): value is number => value !== undefined && Number.isFinite(value),
  );
  if (known.length === 0) return undefined;
  return known.reduce((sum, value) => sum + value, 0) / known.length;
}

/** One row of multiwindow, multi-burn-rate alerting. */
export interface BurnRateWindow {
  /** The long window that must burn fast for the alert to fire. */
  longMs: number;
  /** The short window that must burn fast too, so an alert stops soon after the burn stops. */
  shortMs: number;
  /** The burn rate both windows must exceed: budget share × period / long window. */
  factor: number;
  severity: 'page' | 'ticket';
}

/**
 * The four windows the SRE workbook recommends for a 30-day SLO (1h/5m at 14.4×, 6h/30m at 6×,
 * 1d/2h at 3×, 3d/6h at 1×: 2%, 5%, 10% and 10% of the budget), scaled to `periodMs`. Scaling
 * the windows with the period keeps the factors and the budget shares they stand for.
 */
export function burnRateWindows(periodMs: number): BurnRateWindow[] {
  const scale = periodMs / (30 * DAY);
  const rows: Array<[number, number, number, BurnRateWindow['severity']]> = [
    [HOUR, 5 * MINUTE, 0.02, 'page'],
    [6 * HOUR, 30 * MINUTE, 0.05, 'page'],
    [DAY, 2 * HOUR, 0.1, 'ticket'],
    [3 * DAY, 6 * HOUR, 0.1, 'ticket'],
  ];
  return rows.map(([longMs, shortMs, budgetShare, severity]) => ({
    longMs: longMs * scale,
    shortMs: shortMs * scale,
    factor: (budgetShare * periodMs) / (longMs * scale),
    severity,
  }));
}

/** A burn-rate window with the rates measured now and whether its alert would fire. */
export interface BurnRateStatus extends BurnRateWindow {
  longBurnRate?: number;
  shortBurnRate?: number;
  firing: boolean;
}

/**
 * Which multiwindow alerts would fire now, given the error ratio over a window ending now
 * (undefined when that window had no data; a window without data never fires).
 */
export function evaluateBurnRates(
  windows: BurnRateWindow[],
  target: number,
  errorRatioOver: (windowMs: number) => number | undefined,
): BurnRateStatus[] {
  return windows.map(window => {
    const longRatio = errorRatioOver(window.longMs);
    const shortRatio = errorRatioOver(window.shortMs);
    const longBurnRate =
      longRatio === undefined ? undefined : burnRate(longRatio, target);
    const shortBurnRate =
      shortRatio === undefined ? undefined : burnRate(shortRatio, target);
    return {
      ...window,
      longBurnRate,
      shortBurnRate,
      firing:
        longBurnRate !== undefined &&
        shortBurnRate !== undefined &&
        longBurnRate > window.factor &&
        shortBurnRate > window.factor,
    };
  });
}

/** How an SLO stands. */
export type SloStatus = 'healthy' | 'at-risk' | 'breached' | 'no-data';

/** Below this share of budget left, an SLO is at risk even if nothing burns fast right now. */
export const AT_RISK_BUDGET_REMAINING = 0.25;

/**
 * `breached` once the budget is spent, `at-risk` when a burn-rate alert fires or less than a
 * quarter of the budget is left, `no-data` without an SLI, `healthy` otherwise.
 */
export function sloStatus(
  remaining: number | undefined,
  burnRates: BurnRateStatus[],
): SloStatus {
  if (remaining === undefined) return 'no-data';
  if (remaining <= 0) return 'breached';
  if (
    remaining < AT_RISK_BUDGET_REMAINING ||
    burnRates.some(window => window.firing)
  ) {
    return 'at-risk';
  }
  return 'healthy';
}

/** A duration of OpenSLO (`30d`, `1w`, `1M`, `1Q`, `1Y`, `5m`, `1h`). */
export interface SloDuration {
  count: number;
  unit: 's' | 'm' | 'h' | 'd' | 'w' | 'M' | 'Q' | 'Y';
}

const FIXED_UNIT_MS: Record<string, number> = {
  s: 1000,
  m: MINUTE,
  h: HOUR,
  d: DAY,
  w: 7 * DAY,
};

/** Parses an OpenSLO duration; undefined when it is not one. */
export function parseSloDuration(text: string): SloDuration | undefined {
  const match = /^([1-9]\d{0,4})([smhdwMQY])$/.exec(text.trim());
  if (!match) return undefined;
  return { count: Number(match[1]), unit: match[2] as SloDuration['unit'] };
}

/**
 * The length of a duration in ms, for units of fixed length; undefined for months, quarters
 * and years, whose length depends on the calendar (a month is not 30 days).
 */
export function fixedDurationMs(duration: SloDuration): number | undefined {
  const unitMs = FIXED_UNIT_MS[duration.unit];
  return unitMs === undefined ? undefined : duration.count * unitMs;
}

/**
 * The calendar-aligned window that contains `now`: windows of `duration` laid end to end from
 * `anchor` (the OpenSLO `calendar.startTime`, as UTC ms). Months, quarters and years follow
 * the calendar in UTC; fixed units are plain multiples.
 */
export function calendarWindow(
  duration: SloDuration,
  anchor: number,
  now: number,
): { start: number; end: number } {
  const fixedMs = fixedDurationMs(duration);
  if (fixedMs !== undefined) {
    const index = Math.floor((now - anchor) / fixedMs);
    const start = anchor + index * fixedMs;
    return { start, end: start + fixedMs };
  }
  const monthsPerUnit = { M: 1, Q: 3, Y: 12 }[duration.unit as 'M' | 'Q' | 'Y'];
  const months = duration.count * monthsPerUnit;
  const first = new Date(anchor);
  // The k-th window start: k×months after the anchor, on the anchor's day or the month's last.
  const startOf = (k: number) => {
    const monthIndex = first.getUTCMonth() + k * months;
    const year = first.getUTCFullYear() + Math.floor(monthIndex / 12);
    const month = ((monthIndex % 12) + 12) % 12;
    const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
    return Date.UTC(
      year,
      month,
      Math.min(first.getUTCDate(), lastDay),
      first.getUTCHours(),
      first.getUTCMinutes(),
      first.getUTCSeconds(),
    );
  };
  const current = new Date(now);
  const elapsedMonths =
    (current.getUTCFullYear() - first.getUTCFullYear()) * 12 +
    current.getUTCMonth() -
    first.getUTCMonth();
  let index = Math.floor(elapsedMonths / months);
  // The day and time inside the month decide between this window and its neighbours.
  while (startOf(index) > now) index -= 1;
  while (startOf(index + 1) <= now) index += 1;
  return { start: startOf(index), end: startOf(index + 1) };
}
