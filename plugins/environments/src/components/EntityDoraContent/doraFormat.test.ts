import { DoraMetric } from '@internal/plugin-environments-common';
import { formatDoraValue } from './doraFormat';

const metric = (unit: DoraMetric['unit'], value?: number): DoraMetric => ({
  key: 'deploymentFrequency',
  title: 'x',
  unit,
  value,
  sampleSize: 1,
  sampleOf: 'deployments',
});

describe('formatDoraValue', () => {
  it('says rates per day, or per week under one a day', () => {
    expect(formatDoraValue(metric('per-day', 2.5))).toBe('2.5 per day');
    expect(formatDoraValue(metric('per-day', 3 / 7))).toBe('3.0 per week');
  });

  it('says durations in minutes, hours or days', () => {
    expect(formatDoraValue(metric('hours', 0.25))).toBe('15 min');
    expect(formatDoraValue(metric('hours', 4))).toBe('4.0 h');
    expect(formatDoraValue(metric('hours', 72))).toBe('3.0 days');
  });

  it('says ratios as percentages, and nothing known as a dash', () => {
    expect(formatDoraValue(metric('ratio', 0.75))).toBe('75%');
    expect(formatDoraValue(metric('ratio'))).toBe('—');
  });
});
