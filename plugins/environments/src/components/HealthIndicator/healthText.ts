import {
  EnvironmentHealth,
  HealthStatus,
} from '@internal/plugin-environments-common';
import { formatAge } from '../time';

/** The status as a chip shows it. */
export const HEALTH_STATUS_LABELS: Record<HealthStatus, string> = {
  up: 'Up',
  degraded: 'Degraded',
  down: 'Down',
  unknown: 'Unknown',
};

/**
 * The whole health in one sentence, for screen readers and the compact marker:
 * `Health: down — answered 503, since 10 min ago`.
 */
export function healthSummary(
  health: EnvironmentHealth,
  now = Date.now(),
): string {
  const reason = health.reason ? ` — ${health.reason}` : '';
  const since = health.since ? `, since ${formatAge(health.since, now)}` : '';
  return `Health: ${health.status}${reason}${since}`;
}
