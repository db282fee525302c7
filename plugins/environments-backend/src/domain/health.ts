import { HealthStatus } from '@internal/plugin-environments-common';

/** One probe of an environment's health-check URL. */
export interface ProbeResult {
  at: Date;
  /** Answered 2xx within the timeout. */
  ok: boolean;
  latencyMs?: number;
  /** Why it failed, e.g. `answered 503`. */
  reason?: string;
}

export interface HealthThresholds {
  /** A 2xx answer slower than this makes the environment degraded. */
  slowMs: number;
  /** Without a probe for this long the health is unknown. */
  staleAfterMs: number;
}

/** An environment's health as the plugin stores it. */
export interface CurrentHealth {
  status: HealthStatus;
  checkedAt?: Date;
  since?: Date;
  reason?: string;
}

/**
 * The health that one probe shows, given the probe before it: two failures in a row are down,
 * one is degraded (a single lost answer should not page anyone), a slow answer is degraded.
 */
function statusAt(
  probe: ProbeResult,
  previous: ProbeResult | undefined,
  slowMs: number,
): HealthStatus {
  if (!probe.ok) return previous && !previous.ok ? 'down' : 'degraded';
  return (probe.latencyMs ?? 0) > slowMs ? 'degraded' : 'up';
}

function reasonAt(probe: ProbeResult, slowMs: number): string | undefined {
  if (!probe.ok) return probe.reason;
  return (probe.latencyMs ?? 0) > slowMs
    ? `answered in ${probe.latencyMs} ms, slower than ${slowMs} ms`
    : undefined;
}

/**
 * An environment's health from its recent probes (newest first). `since` is the oldest probe of
 * the newest run with the same status; when `previous` already had that status, its `since`
 * stands, so that a run longer than the probes read keeps its start.
 */
export function deriveHealth(
  probes: ProbeResult[],
  now: Date,
  thresholds: HealthThresholds,
  previous?: CurrentHealth,
): CurrentHealth {
  const [latest] = probes;
  if (!latest) return { status: 'unknown' };
  const stale = staleness(latest.at, now, thresholds.staleAfterMs);
  if (stale) {
    return previous?.status === 'unknown' && previous.since
      ? { ...stale, since: previous.since }
      : stale;
  }

  const status = statusAt(latest, probes[1], thresholds.slowMs);
  let since = latest.at;
  for (let i = 1; i < probes.length; i++) {
    if (statusAt(probes[i], probes[i + 1], thresholds.slowMs) !== status) break;
    since = probes[i].at;
  }
  if (previous?.status === status && previous.since) since = previous.since;
  return {
    status,
    checkedAt: latest.at,
    since,
    reason: reasonAt(latest, thresholds.slowMs),
  };
}

function staleness(
  checkedAt: Date,
  now: Date,
  staleAfterMs: number,
): CurrentHealth | undefined {
  const staleFrom = checkedAt.getTime() + staleAfterMs;
  if (now.getTime() < staleFrom) return undefined;
  return {
    status: 'unknown',
    checkedAt,
    since: new Date(staleFrom),
    reason: `no probe since ${checkedAt.toISOString()}`,
  };
}

/**
 * The stored health as of `now`: it turns unknown once no probe has been made for the staleness
 * window (the checks may have stopped running), whatever it was.
 */
export function healthAsOf(
  stored: CurrentHealth,
  now: Date,
  staleAfterMs: number,
): CurrentHealth {
  if (stored.status === 'unknown' || !stored.checkedAt) return stored;
  return staleness(stored.checkedAt, now, staleAfterMs) ?? stored;
}

/**
 * Whether the owner and holders should hear of it: the status changed (a new reason alone is no
 * change). The first health found is no change either: nobody wants a message per environment
 * when the checks are switched on.
 */
export function healthChanged(
  previous: CurrentHealth | undefined,
  next: CurrentHealth,
): boolean {
  return previous !== undefined && previous.status !== next.status;
}
