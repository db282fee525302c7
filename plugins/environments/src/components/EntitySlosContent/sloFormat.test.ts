import {
  formatBudget,
  formatDuration,
  formatExhaustion,
  formatSli,
} from './sloFormat';

describe('SLO formatting', () => {
  it('shows SLIs with the digits that tell nines apart, and no data as such', () => {
    expect(formatSli(0.998906)).toBe('99.891%');
    expect(formatSli(0.95)).toBe('95.00%');
    expect(formatSli(undefined)).toBe('no data');
  });

  it('shows an overspent budget as negative', () => {
    expect(formatBudget(-0.01953125)).toBe('-2.0%');
    expect(formatBudget(0.5)).toBe('50.0%');
  });

  it('shows durations in their two largest units', () => {
    expect(formatDuration(50 * 3600_000)).toBe('2d 2h');
    expect(formatDuration(45 * 60_000)).toBe('45m');
    expect(formatDuration(90 * 60_000)).toBe('1h 30m');
    expect(formatDuration(3 * 86_400_000)).toBe('3d');
    expect(formatDuration(10_000)).toBe('< 1m');
  });

  it('words the time to exhaustion', () => {
    expect(formatExhaustion(-0.1, 0)).toBe('budget spent');
    expect(formatExhaustion(0.5, undefined)).toBe('not burning');
    expect(formatExhaustion(0.5, 3600_000)).toBe(
      'in 1h at the current burn rate',
    );
    expect(formatExhaustion(undefined, undefined)).toBe('no data');
  });
});
