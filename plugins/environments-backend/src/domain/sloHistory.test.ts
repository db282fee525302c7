import {
  burnRateWindows,
  SloSummary,
} from '@internal/plugin-environments-common';
import { snapshotsOf } from './sloHistory';

const DAY = 24 * 3600_000;
const at = new Date('2026-11-27T09:00:00.000Z');
const where = {
  entityRef: 'component:default/payments-api',
  environmentRef: 'resource:default/prod-eu',
};

/** A 30-day SLO's objective with the given budget left and burn rates of the 1h/5m window. */
function summary(
  objectives: Array<{
    name: string;
    budgetRemaining?: number;
    fast?: [number, number];
    status?: SloSummary['status'];
  }>,
  sourceStatus: SloSummary['source']['status'] = 'ok',
): SloSummary {
  const windows = burnRateWindows(30 * DAY);
  return {
    name: 'availability',
    file: 'slos.yaml',
    window: { duration: '30d', rolling: true, start: '', end: '' },
    budgetingMethod: 'Occurrences',
    status: 'healthy',
    source: { type: 'prometheus', status: sourceStatus, queries: 2 },
    objectives: objectives.map(o => ({
      name: o.name,
      target: 0.999,
      sli: o.budgetRemaining === undefined ? undefined : 0.9995,
      budgetRemaining: o.budgetRemaining,
      // Windows as the evaluation lists them; the 1h/5m one (factor 14.4) burns `fast`.
      burnRates: windows.map((w, i) => {
        const [long, short] = i === 0 && o.fast ? o.fast : [0.5, 0.4];
        return {
          ...w,
          longBurnRate: long,
          shortBurnRate: short,
          firing: long > w.factor && short > w.factor,
        };
      }),
      status: o.status ?? 'healthy',
      dataQuality: 'ok',
      series: [],
    })),
  };
}

describe('snapshotsOf', () => {
  it('keeps each objective with the fastest page window and whether it burns fast or is breached', () => {
    const snapshots = snapshotsOf(
      summary([
        { name: 'healthy', budgetRemaining: 0.8 },
        { name: 'burning', budgetRemaining: 0.4, fast: [20, 18] },
        // Both windows must burn fast: a short spike alone does not fire.
        { name: 'spike', budgetRemaining: 0.4, fast: [3, 30] },
        { name: 'spent', budgetRemaining: 0, status: 'at-risk' },
        { name: 'missed', budgetRemaining: 0.1, status: 'breached' },
        { name: 'no data' },
      ]),
      where,
      at,
    );
    expect(
      snapshots.map(s => [
        s.objective,
        s.longBurnRate,
        s.shortBurnRate,
        s.fastBurn,
        s.breached,
      ]),
    ).toEqual([
      ['healthy', 0.5, 0.4, false, false],
      ['burning', 20, 18, true, false],
      ['spike', 3, 30, false, false],
      ['spent', 0.5, 0.4, false, true],
      ['missed', 0.5, 0.4, false, true],
    ]);
    expect(snapshots[1]).toMatchObject({
      ...where,
      sloName: 'availability',
      at,
      sli: 0.9995,
      budgetRemaining: 0.4,
    });
  });

  it('keeps nothing from a source that failed: stale numbers are no snapshot', () => {
    const known = [{ name: 'burning', budgetRemaining: 0.4 }];
    expect(snapshotsOf(summary(known, 'stale'), where, at)).toEqual([]);
    expect(snapshotsOf(summary([], 'unavailable'), where, at)).toEqual([]);
  });
});
