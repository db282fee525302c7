import {
  DailyUsage,
  EnvironmentStatus,
  EnvironmentUsage,
  fullStretches,
  Interval,
  overlaps,
  REFUSAL_KINDS,
  RefusalKind,
  TierUsage,
  UsageFigures,
} from '@internal/plugin-environments-common';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

/** What the usage of one environment is computed from; times in epoch milliseconds. */
export interface UsageFacts {
  environment: {
    entityRef: string;
    title?: string;
    tier: string;
    capacity: number;
    bookable: boolean;
    /** When the plugin first stored it: no time before counts as bookable. */
    firstSeenAt?: number;
    /** When it left the catalog: no time after counts as bookable. */
    removedAt?: number;
  };
  /** Health probes, oldest first. */
  probes: Array<{ at: number; ok: boolean }>;
  /** Maintenance windows, and the time its status was `maintenance`. */
  maintenance: Interval[];
  /** Blackouts, and the time its status was `retired`: not bookable, but not maintenance. */
  closed: Interval[];
  /** Bookings that held it (approved, then released or expired), each taking one place. */
  bookings: Interval[];
  /** When deployments to it happened (any outcome: someone was deploying). */
  deployments: number[];
  /** Bookings approved after waiting for approval. */
  approvals: Array<{ requestedAt: number; approvedAt: number }>;
  refusals: Array<{ at: number; kind: RefusalKind }>;
  /** How long after a deployment the environment counts as in use, in milliseconds. */
  activityWindowMs: number;
}

export interface UsageSettings {
  /** How long a probe speaks for when no later probe follows (the health staleness window). */
  probeCoverageMs: number;
}

/** The union of intervals, as sorted disjoint intervals, touching ones joined. */
function union(intervals: Interval[]): Interval[] {
  const joined: Interval[] = [];
  // fullStretches keeps back-to-back intervals apart (they do not overlap); here they are one
  // stretch, or a probe history would stay one interval per probe.
  for (const stretch of fullStretches(intervals, 1)) {
    const last = joined[joined.length - 1];
    if (last && last.end === stretch.start) last.end = stretch.end;
    else joined.push(stretch);
  }
  return joined;
}

/**
 * The union of intervals already in order that do not overlap, such as the stretches probes
 * speak for: touching ones joined in one pass, where a month of probes every minute would
 * take `union` a sort of 86,400 instants.
 */
function joinSorted(intervals: Interval[]): Interval[] {
  const joined: Interval[] = [];
  for (const { start, end } of intervals) {
    const last = joined[joined.length - 1];
    if (last && last.end === start) last.end = end;
    else joined.push({ start, end });
  }
  return joined;
}

/** The instants in both `a` and `b`: where both unions are active at once. */
function intersect(a: Interval[], b: Interval[]): Interval[] {
  return fullStretches([...union(a), ...union(b)], 2);
}

/** The parts of `within` not covered by `disjoint` (sorted, disjoint intervals). */
function gaps(disjoint: Interval[], within: Interval): Interval[] {
  const result: Interval[] = [];
  let start = within.start;
  for (const interval of disjoint) {
    if (interval.start > start) {
      result.push({ start, end: Math.min(interval.start, within.end) });
    }
    start = Math.max(start, interval.end);
    if (start >= within.end) break;
  }
  if (start < within.end) result.push({ start, end: within.end });
  return result.filter(i => i.end > i.start);
}

/** Total length of disjoint intervals, in milliseconds. */
function lengthOf(disjoint: Interval[]): number {
  return disjoint.reduce((sum, i) => sum + (i.end - i.start), 0);
}

/**
 * Booked and bookable slot time of one environment in `window`, in milliseconds:
 *
 *   bookable = (window − closed) × capacity
 *   booked = Σ over held intervals of their time in the window and outside `closed`
 *
 * Every booking takes one of the `capacity` places, a component slot too (the booking rules
 * count it against the capacity as well), so one booking of a 5-place environment for the
 * whole window is 20% of it.
 */
export function slotTime(options: {
  held: Interval[];
  closed: Interval[];
  capacity: number;
  window: Interval;
}): { bookedMs: number; bookableMs: number } {
  const open = gaps(union(options.closed), options.window);
  let bookedMs = 0;
  for (const interval of options.held) {
    if (overlaps(interval, options.window)) {
      bookedMs += lengthOf(intersect([interval], open));
    }
  }
  return { bookedMs, bookableMs: options.capacity * lengthOf(open) };
}

/** The intervals an environment's figures are measured on, built once for all windows. */
interface Timelines {
  up: Interval[];
  observed: Interval[];
  maintenance: Interval[];
  /** When it could not be booked: maintenance, blackouts, retirement, before or after its life. */
  closed: Interval[];
  /** Within the activity window after a deployment. */
  activity: Interval[];
}

function timelinesOf(
  facts: UsageFacts,
  period: Interval,
  settings: UsageSettings,
): Timelines {
  const { probes, environment } = facts;
  // A probe speaks for the time until the next probe, or for the coverage when none follows.
  const covered = probes.map((probe, i) => ({
    ok: probe.ok,
    start: probe.at,
    end: Math.min(
      probes[i + 1]?.at ?? Infinity,
      probe.at + settings.probeCoverageMs,
    ),
  }));
  const maintenance = union(facts.maintenance);
  const lifetime = {
    start: environment.firstSeenAt ?? period.start,
    end: environment.removedAt ?? period.end,
  };
  return {
    up: joinSorted(covered.filter(c => c.ok)),
    observed: union([...joinSorted(covered), ...maintenance]),
    maintenance,
    closed: environment.bookable
      ? union([
          ...maintenance,
          ...facts.closed,
          { start: period.start, end: lifetime.start },
          { start: lifetime.end, end: period.end },
        ])
      : [period],
    activity: union(
      facts.deployments.map(at => ({
        start: at,
        end: at + facts.activityWindowMs,
      })),
    ),
  };
}

/** Sums kept in milliseconds and counts; the ratios come last, from the sums. */
interface Sums {
  upMs: number;
  observedMs: number;
  bookedSlotMs: number;
  bookableSlotMs: number;
  idleBookedMs: number;
  approvals: number;
  approvalLeadMs: number;
  refusals: Record<RefusalKind, number>;
}

const noRefusals = (): Record<RefusalKind, number> =>
  Object.fromEntries(REFUSAL_KINDS.map(kind => [kind, 0])) as Record<
    RefusalKind,
    number
  >;

const ZERO: Sums = {
  upMs: 0,
  observedMs: 0,
  bookedSlotMs: 0,
  bookableSlotMs: 0,
  idleBookedMs: 0,
  approvals: 0,
  approvalLeadMs: 0,
  refusals: noRefusals(),
};

/** One environment's sums over `window`. */
function measure(
  facts: UsageFacts,
  timelines: Timelines,
  window: Interval,
): Sums {
  const inWindow = (intervals: Interval[]) => intersect(intervals, [window]);
  const up = inWindow(timelines.up);
  const slots = {
    held: facts.bookings,
    capacity: facts.environment.capacity,
    window,
  };
  const { bookedMs, bookableMs } = slotTime({
    ...slots,
    closed: timelines.closed,
  });
  // Idle booked time is booked time outside the activity windows as well.
  const idle = slotTime({
    ...slots,
    closed: [...timelines.closed, ...timelines.activity],
  });
  const inside = (at: number) => at >= window.start && at < window.end;
  const approvals = facts.approvals.filter(a => inside(a.approvedAt));
  const refusals = noRefusals();
  for (const refusal of facts.refusals) {
    if (inside(refusal.at)) refusals[refusal.kind] += 1;
  }
  return {
    upMs: lengthOf(up) - lengthOf(intersect(up, timelines.maintenance)),
    observedMs: lengthOf(inWindow(timelines.observed)),
    bookedSlotMs: bookedMs,
    bookableSlotMs: bookableMs,
    idleBookedMs: idle.bookedMs,
    approvals: approvals.length,
    approvalLeadMs: approvals.reduce(
      (sum, a) => sum + (a.approvedAt - a.requestedAt),
      0,
    ),
    refusals,
  };
}

function add(a: Sums, b: Sums): Sums {
  const refusals = noRefusals();
  for (const kind of REFUSAL_KINDS) {
    refusals[kind] = a.refusals[kind] + b.refusals[kind];
  }
  return {
    upMs: a.upMs + b.upMs,
    observedMs: a.observedMs + b.observedMs,
    bookedSlotMs: a.bookedSlotMs + b.bookedSlotMs,
    bookableSlotMs: a.bookableSlotMs + b.bookableSlotMs,
    idleBookedMs: a.idleBookedMs + b.idleBookedMs,
    approvals: a.approvals + b.approvals,
    approvalLeadMs: a.approvalLeadMs + b.approvalLeadMs,
    refusals,
  };
}

const ratio = (part: number, whole: number) =>
  whole > 0 ? part / whole : undefined;

/** The figures of summed measurements: hours, and ratios of the sums (time-weighted). */
function toFigures(sums: Sums): UsageFigures {
  return {
    upHours: sums.upMs / HOUR,
    observedHours: sums.observedMs / HOUR,
    availability: ratio(sums.upMs, sums.observedMs),
    bookedSlotHours: sums.bookedSlotMs / HOUR,
    bookableSlotHours: sums.bookableSlotMs / HOUR,
    usage: ratio(sums.bookedSlotMs, sums.bookableSlotMs),
    idleBookedHours: sums.idleBookedMs / HOUR,
    approvals: sums.approvals,
    approvalLeadHours: sums.approvalLeadMs / HOUR,
    meanApprovalLeadHours: ratio(sums.approvalLeadMs / HOUR, sums.approvals),
    refusals: sums.refusals,
  };
}

/** A recorded change of an environment's status (an administrator's, from the audit log). */
export interface StatusChange {
  at: number;
  from: EnvironmentStatus;
  to: EnvironmentStatus;
}

/**
 * An environment's status through `period`, from its recorded changes (oldest first) and its
 * current status with the time it began. Before its first recorded change it had that
 * change's previous status; without any, it counts as available until its current status
 * began (a new environment starts available, and nothing else is known).
 */
export function statusIntervals(options: {
  changes: StatusChange[];
  current: { status: EnvironmentStatus; since?: number };
  period: Interval;
}): Array<Interval & { status: EnvironmentStatus }> {
  const { changes, current, period } = options;
  const currentSince = current.since ?? period.start;
  const segments: Array<Interval & { status: EnvironmentStatus }> = [];
  let start = period.start;
  let status: EnvironmentStatus = changes[0]?.from ?? 'available';
  // The current status and its start are the latest word: later records do not override it.
  for (const change of changes.filter(c => c.at < currentSince)) {
    segments.push({ start, end: change.at, status });
    start = change.at;
    status = change.to;
  }
  segments.push({ start, end: currentSince, status });
  segments.push({
    start: currentSince,
    end: period.end,
    status: current.status,
  });
  return segments
    .map(s => ({
      ...s,
      start: Math.max(s.start, period.start),
      end: Math.min(s.end, period.end),
    }))
    .filter(s => s.end > s.start);
}

/** The UTC days `[from, to)` touches, each cut to the period. */
export function daysOf(period: Interval): Array<{ date: string } & Interval> {
  const days = [];
  for (
    let day = Math.floor(period.start / DAY) * DAY;
    day < period.end;
    day += DAY
  ) {
    days.push({
      date: new Date(day).toISOString().slice(0, 10),
      start: Math.max(day, period.start),
      end: Math.min(day + DAY, period.end),
    });
  }
  return days;
}

/**
 * Usage of each environment over `period`, of each tier, of every environment together, and
 * of every environment together per UTC day. Tier, total and daily figures add the
 * environments' hours and counts and divide the sums, so a large or long-measured
 * environment weighs more than a small one.
 */
export function usageReport(
  facts: UsageFacts[],
  period: Interval,
  settings: UsageSettings,
): {
  environments: EnvironmentUsage[];
  tiers: TierUsage[];
  daily: DailyUsage[];
  total: UsageFigures;
} {
  const days = daysOf(period);
  const perEnvironment = facts.map(f => {
    const timelines = timelinesOf(f, period, settings);
    return {
      facts: f,
      sums: measure(f, timelines, period),
      daily: days.map(day => measure(f, timelines, day)),
    };
  });

  const tierSums = new Map<string, { sums: Sums; environments: number }>();
  for (const { facts: f, sums } of perEnvironment) {
    const tier = tierSums.get(f.environment.tier) ?? {
      sums: ZERO,
      environments: 0,
    };
    tierSums.set(f.environment.tier, {
      sums: add(tier.sums, sums),
      environments: tier.environments + 1,
    });
  }

  return {
    environments: perEnvironment.map(({ facts: f, sums }) => ({
      entityRef: f.environment.entityRef,
      title: f.environment.title,
      tier: f.environment.tier,
      capacity: f.environment.capacity,
      activityWindowHours: f.activityWindowMs / HOUR,
      ...toFigures(sums),
    })),
    tiers: [...tierSums.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([tier, { sums, environments }]) => ({
        tier,
        environments,
        ...toFigures(sums),
      })),
    daily: days.map((day, i) => ({
      date: day.date,
      ...toFigures(
        perEnvironment.reduce((sum, e) => add(sum, e.daily[i]), ZERO),
      ),
    })),
    total: toFigures(perEnvironment.reduce((sum, e) => add(sum, e.sums), ZERO)),
  };
}
