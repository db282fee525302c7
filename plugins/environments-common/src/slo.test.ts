import {
  budgetRemaining,
  burnRate,
  burnRateWindows,
  calendarWindow,
  errorBudgetMs,
  evaluateBurnRates,
  fixedDurationMs,
  parseSloDuration,
  ratioSli,
  ratioTimeslicesSli,
  sloStatus,
  sumBuckets,
  timeslicesSli,
  timeToExhaustionMs,
} from './slo';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe('error budget', () => {
  it('allows 43.2 minutes at 99.9% over 30 days', () => {
    expect(errorBudgetMs(0.999, 30 * DAY) / MINUTE).toBeCloseTo(43.2, 9);
  });

  it("matches OpenSLO's timeslices example: 95% over 2 weeks is 16h48m", () => {
    expect(errorBudgetMs(0.95, 14 * DAY)).toBeCloseTo(16 * HOUR + 48 * MINUTE);
  });

  it('goes negative once the objective is breached, and is not clamped', () => {
    // 7 days at 0.05% errors plus a 30-minute incident at 20%: error ratio 0.00109375.
    const sli = 1 - 0.00109375;
    expect(budgetRemaining(sli, 0.999)).toBeCloseTo(-0.09375, 12);
    expect(budgetRemaining(1, 0.999)).toBe(1);
    expect(budgetRemaining(0.999, 0.999)).toBeCloseTo(0, 12);
  });

  it('burns at 1 when the error ratio equals the budget', () => {
    expect(burnRate(0.001, 0.999)).toBeCloseTo(1, 12);
    expect(burnRate(0.0144, 0.999)).toBeCloseTo(14.4, 9);
  });

  it('lasts period / burn rate when full, proportionally less when partly spent', () => {
    expect(timeToExhaustionMs(1, 30 * DAY, 14.4)).toBeCloseTo(50 * HOUR);
    expect(timeToExhaustionMs(0.5, 30 * DAY, 1)).toBe(15 * DAY);
    expect(timeToExhaustionMs(-0.1, 30 * DAY, 2)).toBe(0);
    expect(timeToExhaustionMs(0.4, 30 * DAY, 0)).toBeUndefined();
  });
});

describe('SLIs', () => {
  it('is good over total, and unknown without traffic rather than 100% or 0%', () => {
    expect(ratioSli({ good: 999, total: 1000 })).toBe(0.999);
    expect(ratioSli({ good: 0, total: 0 })).toBeUndefined();
    expect(ratioSli({ good: NaN, total: 10 })).toBeUndefined();
    expect(ratioSli({ good: 5, total: Infinity })).toBeUndefined();
    // Extrapolated counters can overshoot a little.
    expect(ratioSli({ good: 1000.4, total: 1000 })).toBe(1);
  });

  it('sums non-overlapping buckets over any window', () => {
    const buckets = [1, 2, 3, 4].map(i => ({
      end: i * HOUR,
      good: 10 * i,
      total: 10 * i + 1,
    }));
    expect(sumBuckets(buckets, 1 * HOUR, 3 * HOUR)).toEqual({
      good: 50,
      total: 52,
      buckets: 2,
    });
    expect(sumBuckets(buckets, 0, 4 * HOUR).buckets).toBe(4);
    expect(sumBuckets(buckets, 4 * HOUR, 5 * HOUR)).toEqual({
      good: 0,
      total: 0,
      buckets: 0,
    });
  });

  it('counts good timeslices, ignoring slices without data', () => {
    expect(
      timeslicesSli([0.99, 0.95, undefined, 1, NaN], value => value >= 0.98),
    ).toBeCloseTo(2 / 3);
    expect(timeslicesSli([undefined], () => true)).toBeUndefined();
  });

  it('averages ratios for RatioTimeslices', () => {
    expect(ratioTimeslicesSli([1, 0.5, undefined, 0.9])).toBeCloseTo(0.8);
    expect(ratioTimeslicesSli([])).toBeUndefined();
  });
});

describe('multiwindow, multi-burn-rate alerts', () => {
  it('uses the workbook windows and factors for 30 days', () => {
    expect(burnRateWindows(30 * DAY)).toEqual([
      {
        longMs: HOUR,
        shortMs: 5 * MINUTE,
        factor: expect.closeTo(14.4, 9),
        severity: 'page',
      },
      {
        longMs: 6 * HOUR,
        shortMs: 30 * MINUTE,
        factor: expect.closeTo(6, 9),
        severity: 'page',
      },
      {
        longMs: DAY,
        shortMs: 2 * HOUR,
        factor: expect.closeTo(3, 9),
        severity: 'ticket',
      },
      {
        longMs: 3 * DAY,
        shortMs: 6 * HOUR,
        factor: expect.closeTo(1, 9),
        severity: 'ticket',
      },
    ]);
  });

  it('scales the windows with the period and keeps the factors', () => {
    const windows = burnRateWindows(7 * DAY);
    expect(windows[0].longMs).toBeCloseTo((HOUR * 7) / 30);
    expect(windows[3].shortMs).toBeCloseTo((6 * HOUR * 7) / 30);
    expect(windows.map(w => w.factor)).toEqual([
      expect.closeTo(14.4, 9),
      expect.closeTo(6, 9),
      expect.closeTo(3, 9),
      expect.closeTo(1, 9),
    ]);
  });

  it('fires a row only when both its windows burn faster than its factor', () => {
    // A fresh incident: the last 5 minutes at 2% errors, the last hour at 1.5%, older time clean.
    const ratios = new Map<number, number>([
      [5 * MINUTE, 0.02],
      [HOUR, 0.015],
      [30 * MINUTE, 0.018],
      [6 * HOUR, 0.0025],
      [2 * HOUR, 0.0075],
      [DAY, 0.000625],
    ]);
    const rows = evaluateBurnRates(burnRateWindows(30 * DAY), 0.999, w =>
      w === 3 * DAY ? undefined : ratios.get(w),
    );
    expect(rows.map(r => r.firing)).toEqual([true, false, false, false]);
    expect(rows[0].longBurnRate).toBeCloseTo(15);
    expect(rows[0].shortBurnRate).toBeCloseTo(20);
    // The 3-day window had no data, so its row cannot fire.
    expect(rows[3].longBurnRate).toBeUndefined();
  });
});

describe('sloStatus', () => {
  const quiet = evaluateBurnRates(burnRateWindows(30 * DAY), 0.999, () => 0);
  const burning = evaluateBurnRates(
    burnRateWindows(30 * DAY),
    0.999,
    () => 0.05,
  );

  it('tells no data, breached, at risk and healthy apart', () => {
    expect(sloStatus(undefined, quiet)).toBe('no-data');
    expect(sloStatus(-0.2, quiet)).toBe('breached');
    expect(sloStatus(0, quiet)).toBe('breached');
    expect(sloStatus(0.1, quiet)).toBe('at-risk');
    expect(sloStatus(0.9, burning)).toBe('at-risk');
    expect(sloStatus(0.9, quiet)).toBe('healthy');
  });
});

describe('durations and calendar windows', () => {
  it('parses OpenSLO durations and knows which have a fixed length', () => {
    expect(parseSloDuration('30d')).toEqual({ count: 30, unit: 'd' });
    expect(parseSloDuration('1M')).toEqual({ count: 1, unit: 'M' });
    expect(parseSloDuration('0d')).toBeUndefined();
    expect(parseSloDuration('30 days')).toBeUndefined();
    expect(fixedDurationMs({ count: 4, unit: 'w' })).toBe(28 * DAY);
    expect(fixedDurationMs({ count: 1, unit: 'M' })).toBeUndefined();
  });

  const at = (text: string) => Date.parse(text);
  const window = (duration: string, anchor: string, now: string) => {
    const { start, end } = calendarWindow(
      parseSloDuration(duration)!,
      at(anchor),
      at(now),
    );
    return [new Date(start).toISOString(), new Date(end).toISOString()];
  };

  it('lays months, quarters and years end to end from the anchor', () => {
    expect(
      window('1M', '2026-01-01T00:00:00Z', '2026-11-27T08:00:00Z'),
    ).toEqual(['2026-11-01T00:00:00.000Z', '2026-12-01T00:00:00.000Z']);
    expect(
      window('1Q', '2026-01-01T00:00:00Z', '2026-11-27T08:00:00Z'),
    ).toEqual(['2026-10-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z']);
    expect(
      window('1Y', '2020-04-01T00:00:00Z', '2026-02-10T00:00:00Z'),
    ).toEqual(['2025-04-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z']);
    // A month anchored on the 31st ends on the last day of shorter months.
    expect(
      window('1M', '2026-01-31T00:00:00Z', '2026-03-01T00:00:00Z'),
    ).toEqual(['2026-02-28T00:00:00.000Z', '2026-03-31T00:00:00.000Z']);
    // The window containing the anchor itself, and one before it.
    expect(
      window('1M', '2026-05-01T00:00:00Z', '2026-04-15T00:00:00Z'),
    ).toEqual(['2026-04-01T00:00:00.000Z', '2026-05-01T00:00:00.000Z']);
  });

  it('lays fixed windows as multiples of their length', () => {
    // Weeks from a Monday.
    expect(
      window('1w', '2026-01-05T00:00:00Z', '2026-11-27T08:00:00Z'),
    ).toEqual(['2026-11-23T00:00:00.000Z', '2026-11-30T00:00:00.000Z']);
  });
});
