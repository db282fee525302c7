import {
  ChangeFailureSignal,
  CiRunStatus,
  DoraBand,
  DoraMetric,
} from '@internal/plugin-environments-common';
import { SloSnapshot } from './sloHistory';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

/** A stored deployment, as the DORA metrics read it. */
export interface DoraDeployment {
  entityRef: string;
  environmentRef: string;
  version?: string;
  status: CiRunStatus;
  deployedAt: Date;
  committedAt?: Date;
}

/** A snapshot at which an SLO objective's state changed, with the state before it (if any). */
export interface SloStateChange extends SloSnapshot {
  previous?: { fastBurn: boolean; breached: boolean };
}

/** `environments.dora.changeFailure`. */
export interface ChangeFailureSettings {
  windowHours: number;
  signals: ChangeFailureSignal[];
}

export interface DoraInput {
  /** The deployments of the components, oldest first, from before the period (for rollbacks). */
  deployments: DoraDeployment[];
  /** Their SLOs' state changes, oldest first, up to the end of the period plus the window. */
  sloChanges: SloStateChange[];
  period: { from: Date; to: Date };
  /** The environments measured. */
  environmentRefs: string[];
  /**
   * The environments an SLO without an environment label speaks for (the production tier):
   * such an SLO measures the service as its users meet it.
   */
  unscopedSloEnvironments: string[];
  changeFailure: ChangeFailureSettings;
}

/**
 * Band thresholds from the DORA "Accelerate State of DevOps Report 2023" performance table
 * (elite, high, medium, low). Where the report gives a cluster's typical value rather than a
 * range (change failure rate: 5%, 10%, 15%, 64%), that value is the band's upper bound.
 */
export const DORA_BAND_SOURCE = 'DORA Accelerate State of DevOps Report 2023';

/** Per metric: the bound of elite, high and medium; beyond the last it is low. */
const BANDS: Record<
  DoraMetric['key'],
  { better: 'higher' | 'lower'; bounds: [number, number, number] }
> = {
  // On demand (at least daily), at least weekly, at least monthly (per day).
  deploymentFrequency: { better: 'higher', bounds: [1, 1 / 7, 1 / 30] },
  // A day, a week, a month (hours).
  leadTimeForChanges: { better: 'lower', bounds: [24, 7 * 24, 30 * 24] },
  // 5%, 10%, 15% (ratio).
  changeFailureRate: { better: 'lower', bounds: [0.05, 0.1, 0.15] },
  // An hour, a day, a week (hours).
  timeToRestore: { better: 'lower', bounds: [1, 24, 7 * 24] },
};

const BAND_NAMES: DoraBand[] = ['elite', 'high', 'medium', 'low'];

/** The DORA band of a metric's value; a value on a bound belongs to the better band. */
export function doraBand(metric: DoraMetric['key'], value: number): DoraBand {
  const { better, bounds } = BANDS[metric];
  const index = bounds.findIndex(bound =>
    better === 'higher' ? value >= bound : value <= bound,
  );
  return BAND_NAMES[index === -1 ? 3 : index];
}

/** The middle value (the mean of the middle two for an even count); undefined when empty. */
export function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? sorted[middle]
    : (sorted[middle - 1] + sorted[middle]) / 2;
}

const inPeriod = (at: Date, period: DoraInput['period']) =>
  at >= period.from && at < period.to;

const isFinished = (d: DoraDeployment) =>
  d.status === 'succeeded' || d.status === 'failed';

/** Deployments of one component to one environment, oldest first. */
function byTarget(deployments: DoraDeployment[]): DoraDeployment[][] {
  const groups = new Map<string, DoraDeployment[]>();
  for (const d of deployments) {
    const key = `${d.entityRef}\u0000${d.environmentRef}`;
    groups.set(key, [...(groups.get(key) ?? []), d]);
  }
  return [...groups.values()].map(list =>
    [...list].sort((a, b) => a.deployedAt.getTime() - b.deployedAt.getTime()),
  );
}

/** Successful deployments in the period per day of it. */
export function deploymentFrequency(
  deployments: DoraDeployment[],
  period: DoraInput['period'],
): { value: number; sampleSize: number } {
  const count = deployments.filter(
    d => d.status === 'succeeded' && inPeriod(d.deployedAt, period),
  ).length;
  const days = (period.to.getTime() - period.from.getTime()) / DAY;
  return { value: count / days, sampleSize: count };
}

/**
 * The median time from commit to successful deployment, in hours, of the deployments in the
 * period whose commit time is known. A commit time after the deployment (clock skew) is left
 * out rather than counted as zero.
 */
export function leadTimeForChanges(
  deployments: DoraDeployment[],
  period: DoraInput['period'],
): { value?: number; sampleSize: number } {
  const leads = deployments
    .filter(
      d =>
        d.status === 'succeeded' &&
        d.committedAt !== undefined &&
        inPeriod(d.deployedAt, period),
    )
    .map(d => d.deployedAt.getTime() - d.committedAt!.getTime())
    .filter(ms => ms >= 0);
  const value = median(leads);
  return {
    value: value === undefined ? undefined : value / HOUR,
    sampleSize: leads.length,
  };
}

/** Whether an SLO state change speaks for an environment. */
function sloCovers(
  change: SloStateChange,
  environmentRef: string,
  unscoped: string[],
): boolean {
  return change.environmentRef === undefined
    ? unscoped.includes(environmentRef)
    : change.environmentRef === environmentRef;
}

const unhealthy = (state?: { fastBurn: boolean; breached: boolean }) =>
  state !== undefined && (state.fastBurn || state.breached);

/**
 * The share of the finished deployments in the period that failed, by the configured signals,
 * each within the window after the deployment: it or the next deployment to the environment
 * failed; a rollback (a later deployment of a version deployed there before it); an SLO of
 * the component began burning fast.
 */
export function changeFailureRate(
  input: Pick<
    DoraInput,
    | 'deployments'
    | 'sloChanges'
    | 'period'
    | 'unscopedSloEnvironments'
    | 'changeFailure'
  >,
): { value?: number; sampleSize: number; failed: number } {
  const { windowHours, signals } = input.changeFailure;
  const windowMs = windowHours * HOUR;
  const burnStarts = input.sloChanges.filter(
    c => c.fastBurn && !c.previous?.fastBurn,
  );
  let total = 0;
  let failed = 0;
  for (const series of byTarget(input.deployments.filter(isFinished))) {
    for (const [index, d] of series.entries()) {
      if (!inPeriod(d.deployedAt, input.period)) continue;
      total++;
      const start = d.deployedAt.getTime();
      const within = (at: Date) =>
        at.getTime() >= start && at.getTime() < start + windowMs;
      const later = series.slice(index + 1).filter(e => within(e.deployedAt));
      const earlierVersions = new Set(
        series
          .slice(0, index)
          .filter(e => e.status === 'succeeded' && e.version !== undefined)
          .map(e => e.version),
      );
      const next = series[index + 1];
      const found: Record<ChangeFailureSignal, () => boolean> = {
        'failed-deployment': () =>
          d.status === 'failed' ||
          (next !== undefined &&
            next.status === 'failed' &&
            within(next.deployedAt)),
        rollback: () =>
          later.some(
            e =>
              e.status === 'succeeded' &&
              e.version !== undefined &&
              e.version !== d.version &&
              earlierVersions.has(e.version),
          ),
        'slo-fast-burn': () =>
          burnStarts.some(
            c =>
              c.entityRef === d.entityRef &&
              within(c.at) &&
              sloCovers(c, d.environmentRef, input.unscopedSloEnvironments),
          ),
      };
      if (signals.some(signal => found[signal]())) failed++;
    }
  }
  return {
    value: total === 0 ? undefined : failed / total,
    sampleSize: total,
    failed,
  };
}

/**
 * The median time, in hours, from a failure that began in the period to its recovery: from a
 * failed deployment to the next successful one to that environment, and from an SLO objective
 * becoming breached or burning fast to its first healthy snapshot. Failures not yet recovered
 * are counted apart. A failed deployment while the last one had failed too is the same failure.
 */
export function timeToRestore(
  input: Pick<DoraInput, 'deployments' | 'sloChanges' | 'period'>,
): { value?: number; sampleSize: number; unrecovered: number } {
  const durations: number[] = [];
  let unrecovered = 0;
  for (const series of byTarget(input.deployments.filter(isFinished))) {
    let failedAt: Date | undefined;
    for (const d of series) {
      if (d.status === 'failed' && !failedAt) {
        failedAt = d.deployedAt;
      } else if (d.status === 'succeeded' && failedAt) {
        if (inPeriod(failedAt, input.period)) {
          durations.push(d.deployedAt.getTime() - failedAt.getTime());
        }
        failedAt = undefined;
      }
    }
    if (failedAt && inPeriod(failedAt, input.period)) unrecovered++;
  }
  const open = new Map<string, Date>();
  for (const change of input.sloChanges) {
    const key = [
      change.entityRef,
      change.sloName,
      change.objective,
      change.environmentRef ?? '',
    ].join('\u0000');
    if (unhealthy(change) && !unhealthy(change.previous)) {
      open.set(key, change.at);
    } else if (!unhealthy(change) && open.has(key)) {
      const began = open.get(key)!;
      if (inPeriod(began, input.period)) {
        durations.push(change.at.getTime() - began.getTime());
      }
      open.delete(key);
    }
  }
  unrecovered += [...open.values()].filter(at =>
    inPeriod(at, input.period),
  ).length;
  const value = median(durations);
  return {
    value: value === undefined ? undefined : value / HOUR,
    sampleSize: durations.length,
    unrecovered,
  };
}

const SIGNAL_WORDS: Record<ChangeFailureSignal, string> = {
  'failed-deployment': 'it or the next deployment to the environment failed',
  rollback:
    'a rollback (a later deployment of a version deployed there before)',
  'slo-fast-burn': 'an SLO of the component began burning its budget fast',
};

/** The change-failure definition in words, for the page to show. */
export function describeChangeFailure(settings: ChangeFailureSettings): string {
  const signals = settings.signals.map(s => SIGNAL_WORDS[s]);
  return `A deployment counts as a failed change when, within ${
    settings.windowHours
  } hour(s) after it, ${signals.join('; or ')}.`;
}

/** The four metrics, each with its band, for the deployments and SLO history given. */
export function doraMetrics(input: DoraInput): DoraMetric[] {
  const measured = new Set(input.environmentRefs);
  const deployments = input.deployments.filter(d =>
    measured.has(d.environmentRef),
  );
  const unscopedMeasured = input.unscopedSloEnvironments.some(env =>
    measured.has(env),
  );
  const sloChanges = input.sloChanges.filter(c =>
    c.environmentRef === undefined
      ? unscopedMeasured
      : measured.has(c.environmentRef),
  );
  const frequency = deploymentFrequency(deployments, input.period);
  const lead = leadTimeForChanges(deployments, input.period);
  const failure = changeFailureRate({ ...input, deployments, sloChanges });
  const restore = timeToRestore({ ...input, deployments, sloChanges });
  const withBand = (metric: Omit<DoraMetric, 'band'>): DoraMetric => ({
    ...metric,
    band:
      metric.value === undefined
        ? undefined
        : doraBand(metric.key, metric.value),
  });
  return [
    withBand({
      key: 'deploymentFrequency',
      title: 'Deployment frequency',
      // No environment to deploy to (nothing reached production yet) is no rate, not a low one.
      value: measured.size === 0 ? undefined : frequency.value,
      unit: 'per-day',
      sampleSize: frequency.sampleSize,
      sampleOf: 'successful deployments',
    }),
    withBand({
      key: 'leadTimeForChanges',
      title: 'Lead time for changes',
      value: lead.value,
      unit: 'hours',
      sampleSize: lead.sampleSize,
      sampleOf: 'successful deployments with a known commit time',
    }),
    withBand({
      key: 'changeFailureRate',
      title: 'Change failure rate',
      value: failure.value,
      unit: 'ratio',
      sampleSize: failure.sampleSize,
      sampleOf: 'finished deployments',
      note: `${failure.failed} failed`,
    }),
    withBand({
      key: 'timeToRestore',
      title: 'Time to restore',
      value: restore.value,
      unit: 'hours',
      sampleSize: restore.sampleSize,
      sampleOf: 'recovered failures',
      note:
        restore.unrecovered > 0
          ? `${restore.unrecovered} not recovered yet`
          : undefined,
    }),
  ];
}
