import { ChangeFailureSignal } from '@internal/plugin-environments-common';
import {
  ChangeFailureSettings,
  changeFailureRate,
  deploymentFrequency,
  describeChangeFailure,
  DoraDeployment,
  doraBand,
  doraMetrics,
  leadTimeForChanges,
  median,
  SloStateChange,
  timeToRestore,
} from './dora';

const API = 'component:default/payments-api';
const WEB = 'component:default/checkout-web';
const PROD = 'resource:default/prod-eu';
const STAGING = 'resource:default/staging';

/** Hours after Monday 2026-11-02 00:00 UTC. */
const h = (hours: number) =>
  new Date(Date.parse('2026-11-02T00:00:00.000Z') + hours * 3600_000);

// A 7-day week.
const week = { from: h(0), to: h(7 * 24) };

function deploy(
  hours: number,
  version: string,
  overrides: Partial<DoraDeployment> = {},
): DoraDeployment {
  return {
    entityRef: API,
    environmentRef: PROD,
    version,
    status: 'succeeded',
    deployedAt: h(hours),
    ...overrides,
  };
}

function slo(
  hours: number,
  state: 'ok' | 'fast' | 'breached',
  previous: 'ok' | 'fast' | 'breached' | undefined,
  overrides: Partial<SloStateChange> = {},
): SloStateChange {
  const flags = (s: 'ok' | 'fast' | 'breached') => ({
    fastBurn: s === 'fast',
    breached: s === 'breached',
  });
  return {
    entityRef: API,
    sloName: 'availability',
    objective: 'default',
    environmentRef: PROD,
    at: h(hours),
    ...flags(state),
    previous: previous && flags(previous),
    ...overrides,
  };
}

const allSignals: ChangeFailureSettings = {
  windowHours: 24,
  signals: ['failed-deployment', 'rollback', 'slo-fast-burn'],
};

describe('median', () => {
  it('takes the middle value, or the mean of the middle two', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 10])).toBe(3.5);
    expect(median([])).toBeUndefined();
  });
});

describe('deploymentFrequency', () => {
  it('counts successful deployments in the period per day: 3 in a week is 3/7 a day', () => {
    const result = deploymentFrequency(
      [
        deploy(-1, 'v0'), // before the week
        deploy(10, 'v1'),
        deploy(30, 'v2', { status: 'failed' }),
        deploy(50, 'v2'),
        deploy(100, 'v3', { status: 'running' }),
        deploy(160, 'v3'),
        deploy(168, 'v4'), // the end is not in the period
      ],
      week,
    );
    expect(result).toEqual({ value: 3 / 7, sampleSize: 3 });
  });

  it('is zero a day without deployments', () => {
    expect(deploymentFrequency([], week)).toEqual({ value: 0, sampleSize: 0 });
  });
});

describe('leadTimeForChanges', () => {
  it('is the median of commit-to-deployment times of successful deployments, in hours', () => {
    const result = leadTimeForChanges(
      [
        deploy(10, 'v1', { committedAt: h(8) }), // 2 h
        deploy(20, 'v2', { committedAt: h(14) }), // 6 h
        deploy(30, 'v3', { committedAt: h(-20) }), // 50 h
        deploy(40, 'v4', { committedAt: h(39), status: 'failed' }), // not successful
        deploy(50, 'v5'), // no commit time
        deploy(60, 'v6', { committedAt: h(61) }), // clock skew: left out
      ],
      week,
    );
    expect(result).toEqual({ value: 6, sampleSize: 3 });
  });

  it('has no value without commit times', () => {
    expect(leadTimeForChanges([deploy(10, 'v1')], week)).toEqual({
      value: undefined,
      sampleSize: 0,
    });
  });
});

describe('changeFailureRate', () => {
  const base = {
    sloChanges: [],
    period: week,
    unscopedSloEnvironments: [PROD],
  };

  it('counts a failed deployment, and the one before it when it followed within the window', () => {
    // v1 at 10 h, v2 failed at 20 h (10 h later: v1 counts too), v3 at 60 h, v4 at 100 h.
    const result = changeFailureRate({
      ...base,
      changeFailure: { windowHours: 24, signals: ['failed-deployment'] },
      deployments: [
        deploy(10, 'v1'),
        deploy(20, 'v2', { status: 'failed' }),
        deploy(60, 'v3'),
        deploy(100, 'v4'),
      ],
    });
    expect(result).toEqual({ value: 2 / 4, sampleSize: 4, failed: 2 });
  });

  it('does not blame a deployment for a failure after the window, nor count unfinished ones', () => {
    const result = changeFailureRate({
      ...base,
      changeFailure: { windowHours: 4, signals: ['failed-deployment'] },
      deployments: [
        deploy(10, 'v1'),
        deploy(12, 'v2', { status: 'running' }),
        deploy(20, 'v3', { status: 'failed' }),
      ],
    });
    expect(result).toEqual({ value: 1 / 2, sampleSize: 2, failed: 1 });
  });

  it('counts a rollback: a later deployment of a version deployed there before', () => {
    // v1 (before the week), v2 at 10 h, then v1 again at 14 h: v2 was rolled back.
    // v3 at 50 h, v3 again at 52 h (a redeploy, not a rollback).
    const result = changeFailureRate({
      ...base,
      changeFailure: { windowHours: 24, signals: ['rollback'] },
      deployments: [
        deploy(-30, 'v1'),
        deploy(10, 'v2'),
        deploy(14, 'v1'),
        deploy(50, 'v3'),
        deploy(52, 'v3'),
      ],
    });
    expect(result).toEqual({ value: 1 / 4, sampleSize: 4, failed: 1 });
  });

  it('keeps environments and components apart', () => {
    // The same versions to staging and to another component are no rollback in production.
    const result = changeFailureRate({
      ...base,
      changeFailure: { windowHours: 24, signals: ['rollback'] },
      deployments: [
        deploy(-30, 'v1', { environmentRef: STAGING }),
        deploy(-20, 'v1', { entityRef: WEB }),
        deploy(10, 'v2'),
        deploy(14, 'v1'),
      ],
    });
    expect(result.failed).toBe(0);
  });

  it('counts an SLO fast burn that begins within the window, for that component and environment', () => {
    const result = changeFailureRate({
      ...base,
      changeFailure: { windowHours: 6, signals: ['slo-fast-burn'] },
      deployments: [
        deploy(10, 'v1'), // burn begins at 13 h: failed
        deploy(30, 'v2'), // still burning at 31 h, but it began before: not this one
        deploy(60, 'v3'), // the burn at 62 h is staging's
        deploy(80, 'v4'), // the burn at 81 h is another component's
        deploy(100, 'v5'), // an SLO without an environment speaks for production
        deploy(130, 'v6'), // a burn 7 h later is outside the window
      ],
      sloChanges: [
        slo(13, 'fast', 'ok'),
        slo(31, 'breached', 'fast'),
        slo(62, 'fast', 'ok', { environmentRef: STAGING }),
        slo(81, 'fast', 'ok', { entityRef: WEB }),
        slo(101, 'fast', undefined, { environmentRef: undefined }),
        slo(137, 'fast', 'ok'),
      ],
    });
    expect(result).toEqual({ value: 2 / 6, sampleSize: 6, failed: 2 });
  });

  it('counts only the configured signals', () => {
    const deployments = [
      deploy(-30, 'v1'),
      deploy(10, 'v2', { status: 'failed' }),
      deploy(14, 'v1'),
    ];
    const count = (signals: ChangeFailureSignal[]) =>
      changeFailureRate({
        ...base,
        deployments,
        changeFailure: { windowHours: 24, signals },
      }).failed;
    expect(count([])).toBe(0);
    // v2 failed; v1 at 14 h is a redeploy of the last good version, after a failure.
    expect(count(['failed-deployment'])).toBe(1);
    expect(count(['rollback'])).toBe(1);
  });

  it('has no value without finished deployments', () => {
    expect(
      changeFailureRate({
        ...base,
        changeFailure: allSignals,
        deployments: [],
      }).value,
    ).toBeUndefined();
  });
});

describe('timeToRestore', () => {
  it('is the median from failure to recovery, in hours, counting open failures apart', () => {
    const result = timeToRestore({
      period: week,
      deployments: [
        // Failed at 10 h, failed again at 11 h (the same failure), fixed at 14 h: 4 h.
        deploy(10, 'v2', { status: 'failed' }),
        deploy(11, 'v2', { status: 'failed' }),
        deploy(14, 'v3'),
        // Failed at 160 h, not fixed yet.
        deploy(160, 'v4', { status: 'failed' }),
      ],
      sloChanges: [
        // Burning fast from 20 h, breached from 21 h, healthy at 30 h: 10 h.
        slo(20, 'fast', 'ok'),
        slo(21, 'breached', 'fast'),
        slo(30, 'ok', 'breached'),
        // Another objective: breached at 40 h, healthy at 41 h: 1 h.
        slo(40, 'breached', 'ok', { objective: 'latency' }),
        slo(41, 'ok', 'breached', { objective: 'latency' }),
        // Unhealthy since before what was read: its recovery alone is no failure.
        slo(50, 'ok', 'fast', { environmentRef: STAGING }),
      ],
    });
    expect(result).toEqual({ value: 4, sampleSize: 3, unrecovered: 1 });
  });

  it('leaves out failures that began before the period', () => {
    const result = timeToRestore({
      period: week,
      deployments: [deploy(-5, 'v1', { status: 'failed' }), deploy(2, 'v2')],
      sloChanges: [slo(-3, 'fast', 'ok'), slo(1, 'ok', 'fast')],
    });
    expect(result).toEqual({
      value: undefined,
      sampleSize: 0,
      unrecovered: 0,
    });
  });
});

describe('doraBand', () => {
  it('bands by the 2023 report, a value on a bound in the better band', () => {
    expect(doraBand('deploymentFrequency', 3)).toBe('elite');
    expect(doraBand('deploymentFrequency', 1)).toBe('elite');
    expect(doraBand('deploymentFrequency', 3 / 7)).toBe('high');
    expect(doraBand('deploymentFrequency', 1 / 14)).toBe('medium');
    expect(doraBand('deploymentFrequency', 0)).toBe('low');
    expect(doraBand('leadTimeForChanges', 6)).toBe('elite');
    expect(doraBand('leadTimeForChanges', 48)).toBe('high');
    expect(doraBand('leadTimeForChanges', 10 * 24)).toBe('medium');
    expect(doraBand('leadTimeForChanges', 40 * 24)).toBe('low');
    expect(doraBand('changeFailureRate', 0.05)).toBe('elite');
    expect(doraBand('changeFailureRate', 0.08)).toBe('high');
    expect(doraBand('changeFailureRate', 0.15)).toBe('medium');
    expect(doraBand('changeFailureRate', 0.5)).toBe('low');
    expect(doraBand('timeToRestore', 0.5)).toBe('elite');
    expect(doraBand('timeToRestore', 4)).toBe('high');
    expect(doraBand('timeToRestore', 72)).toBe('medium');
    expect(doraBand('timeToRestore', 200)).toBe('low');
  });
});

describe('describeChangeFailure', () => {
  it('says the configured window and signals in words', () => {
    expect(
      describeChangeFailure({
        windowHours: 12,
        signals: ['failed-deployment', 'slo-fast-burn'],
      }),
    ).toBe(
      'A deployment counts as a failed change when, within 12 hour(s) after it, it or the next deployment to the environment failed; or an SLO of the component began burning its budget fast.',
    );
  });
});

describe('doraMetrics', () => {
  it('has no values without an environment to measure', () => {
    const metrics = doraMetrics({
      period: week,
      environmentRefs: [],
      unscopedSloEnvironments: [PROD],
      changeFailure: allSignals,
      deployments: [deploy(10, 'v1', { environmentRef: STAGING })],
      sloChanges: [],
    });
    expect(metrics.map(m => [m.key, m.value, m.band, m.sampleSize])).toEqual([
      ['deploymentFrequency', undefined, undefined, 0],
      ['leadTimeForChanges', undefined, undefined, 0],
      ['changeFailureRate', undefined, undefined, 0],
      ['timeToRestore', undefined, undefined, 0],
    ]);
  });

  it('measures only the chosen environments, over all the components together', () => {
    const metrics = doraMetrics({
      period: week,
      environmentRefs: [PROD],
      unscopedSloEnvironments: [PROD],
      changeFailure: allSignals,
      deployments: [
        deploy(10, 'v1', { committedAt: h(9) }), // 1 h
        deploy(20, 'w1', { entityRef: WEB, committedAt: h(17) }), // 3 h
        deploy(30, 'w2', {
          entityRef: WEB,
          status: 'failed',
          committedAt: h(29),
        }),
        deploy(33, 'w3', { entityRef: WEB, committedAt: h(31) }), // 2 h
        // Staging is not measured.
        deploy(40, 'v2', { environmentRef: STAGING, committedAt: h(0) }),
      ],
      sloChanges: [
        slo(50, 'fast', 'ok', { environmentRef: STAGING }),
        slo(60, 'ok', 'fast', { environmentRef: STAGING }),
      ],
    });
    expect(
      metrics.map(m => [m.key, m.value, m.band, m.sampleSize, m.note]),
    ).toEqual([
      ['deploymentFrequency', 3 / 7, 'high', 3, undefined],
      ['leadTimeForChanges', 2, 'elite', 3, undefined],
      // w1 (followed by a failure within a day) and w2 failed, of 4.
      ['changeFailureRate', 0.5, 'low', 4, '2 failed'],
      // w2 failed at 30 h, w3 fixed it at 33 h; the staging burn is not measured.
      ['timeToRestore', 3, 'high', 1, undefined],
    ]);
  });
});
