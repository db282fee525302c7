import { deriveHealth, healthAsOf, healthChanged, ProbeResult } from './health';

const thresholds = { slowMs: 2000, staleAfterMs: 3 * 60_000 };
const now = new Date('2026-11-27T12:00:00.000Z');
const minutesAgo = (minutes: number) =>
  new Date(now.getTime() - minutes * 60_000);

const ok = (minutes: number, latencyMs = 100): ProbeResult => ({
  at: minutesAgo(minutes),
  ok: true,
  latencyMs,
});
const failed = (minutes: number, reason = 'answered 500'): ProbeResult => ({
  at: minutesAgo(minutes),
  ok: false,
  reason,
});

describe('deriveHealth', () => {
  it('is unknown without probes', () => {
    expect(deriveHealth([], now, thresholds)).toEqual({ status: 'unknown' });
  });

  it('is up when the last probe answered in time, since the run of such answers began', () => {
    expect(deriveHealth([ok(0), ok(1), failed(2)], now, thresholds)).toEqual({
      status: 'up',
      checkedAt: minutesAgo(0),
      since: minutesAgo(1),
      reason: undefined,
    });
  });

  it('is degraded when only the last probe failed', () => {
    expect(
      deriveHealth([failed(0, 'connection refused'), ok(1)], now, thresholds),
    ).toEqual({
      status: 'degraded',
      checkedAt: minutesAgo(0),
      since: minutesAgo(0),
      reason: 'connection refused',
    });
  });

  it('is degraded when the last answer was slow, naming the latency', () => {
    expect(deriveHealth([ok(0, 2500), ok(1)], now, thresholds)).toMatchObject({
      status: 'degraded',
      reason: 'answered in 2500 ms, slower than 2000 ms',
    });
    expect(deriveHealth([ok(0, 2000)], now, thresholds).status).toBe('up');
  });

  it('is down when the last two probes failed, since the second failure', () => {
    expect(
      deriveHealth(
        [failed(0, 'no answer within 5000 ms'), failed(1), failed(2), ok(3)],
        now,
        thresholds,
      ),
    ).toEqual({
      status: 'down',
      checkedAt: minutesAgo(0),
      // Failed at 2 minutes ago (degraded), down from the failure after it.
      since: minutesAgo(1),
      reason: 'no answer within 5000 ms',
    });
  });

  it('is unknown once the last probe is older than the staleness window', () => {
    expect(deriveHealth([ok(3)], now, thresholds)).toEqual({
      status: 'unknown',
      checkedAt: minutesAgo(3),
      since: minutesAgo(0),
      reason: `no probe since ${minutesAgo(3).toISOString()}`,
    });
    expect(deriveHealth([ok(2.9)], now, thresholds).status).toBe('up');
  });

  it('keeps the stored start of an unchanged status, and starts anew on a change', () => {
    const previous = {
      status: 'up' as const,
      since: minutesAgo(600),
      checkedAt: minutesAgo(1),
    };
    expect(deriveHealth([ok(0)], now, thresholds, previous).since).toEqual(
      minutesAgo(600),
    );
    expect(
      deriveHealth([failed(0), ok(1)], now, thresholds, previous).since,
    ).toEqual(minutesAgo(0));
  });
});

describe('healthAsOf', () => {
  const stored = {
    status: 'down' as const,
    checkedAt: minutesAgo(5),
    since: minutesAgo(30),
    reason: 'answered 500',
  };

  it('keeps a recent health', () => {
    expect(healthAsOf(stored, now, 10 * 60_000)).toBe(stored);
  });

  it('turns unknown when the checks stopped, from the end of the staleness window', () => {
    expect(healthAsOf(stored, now, 3 * 60_000)).toEqual({
      status: 'unknown',
      checkedAt: minutesAgo(5),
      since: minutesAgo(2),
      reason: `no probe since ${minutesAgo(5).toISOString()}`,
    });
  });
});

describe('healthChanged', () => {
  it('is a change only when a known status differs', () => {
    expect(healthChanged({ status: 'up' }, { status: 'down' })).toBe(true);
    expect(
      healthChanged(
        { status: 'down', reason: 'answered 500' },
        { status: 'down', reason: 'connection refused' },
      ),
    ).toBe(false);
    expect(healthChanged(undefined, { status: 'down' })).toBe(false);
  });
});
