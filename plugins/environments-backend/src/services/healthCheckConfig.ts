import { Config } from '@backstage/config';
import { SchedulerServiceTaskScheduleDefinition } from '@backstage/backend-plugin-api';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';

/** How environments' health checks run and are judged, from `environments.healthChecks`. */
export interface HealthCheckSettings {
  /** Whether environments are probed and their health shown at all. */
  enabled: boolean;
  /** A probe without an answer for this long fails. */
  timeoutMs: number;
  /** A 2xx answer slower than this is degraded. */
  slowMs: number;
  /** Health is unknown when the last probe is older than this. */
  staleAfterMs: number;
  /** Probes are kept this many days. */
  retentionDays: number;
  /** Probes in flight at once. */
  concurrency: number;
}

/** Staleness when the schedule has no fixed interval to count from (cron, manual). */
const DEFAULT_STALE_AFTER_MINUTES = 15;

/**
 * The settings, with defaults: enabled, 5 s timeout, slow above 2 s, 30 days of history, 8 probes at a
 * time, and unknown after three missed intervals of the schedule.
 */
export function readHealthCheckSettings(
  config: Config,
  schedule: SchedulerServiceTaskScheduleDefinition,
): HealthCheckSettings {
  const checks = config.getOptionalConfig('environments.healthChecks');
  const positive = (key: string, fallback: number) => {
    const value = checks?.getOptionalNumber(key) ?? fallback;
    if (!(value > 0)) {
      throw new Error(
        `environments.healthChecks.${key} must be a positive number, not ${value}`,
      );
    }
    return value;
  };
  const interval = intervalMs(schedule.frequency);
  return {
    enabled: checks?.getOptionalBoolean('enabled') ?? true,
    timeoutMs: positive('timeoutMs', 5000),
    slowMs: positive('slowMs', 2000),
    staleAfterMs:
      positive(
        'staleAfterMinutes',
        interval === undefined
          ? DEFAULT_STALE_AFTER_MINUTES
          : (3 * interval) / 60_000,
      ) * 60_000,
    retentionDays: positive('retentionDays', 30),
    concurrency: Math.ceil(positive('concurrency', 8)),
  };
}

/** The schedule's fixed interval; undefined for a cron expression or a manual trigger. */
function intervalMs(
  frequency: SchedulerServiceTaskScheduleDefinition['frequency'],
): number | undefined {
  if ('cron' in frequency || 'trigger' in frequency) return undefined;
  // A Luxon Duration, which code (not config) may give.
  if ('toMillis' in frequency) return frequency.toMillis();
  return durationToMilliseconds(frequency as HumanDuration);
}
