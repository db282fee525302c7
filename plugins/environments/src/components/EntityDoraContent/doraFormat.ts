import { DoraBand, DoraMetric } from '@internal/plugin-environments-common';

/** A metric's value in words: deployments per day or week, a duration, a percentage. */
export function formatDoraValue(metric: DoraMetric): string {
  const { value } = metric;
  if (value === undefined) return '—';
  switch (metric.unit) {
    case 'per-day':
      // Under one a day reads better per week.
      return value >= 1
        ? `${value.toFixed(1)} per day`
        : `${(value * 7).toFixed(1)} per week`;
    case 'ratio':
      return `${(value * 100).toFixed(0)}%`;
    case 'hours':
    default:
      if (value < 1) return `${Math.round(value * 60)} min`;
      if (value < 48) return `${value.toFixed(1)} h`;
      return `${(value / 24).toFixed(1)} days`;
  }
}

export const BAND_LABELS: Record<DoraBand, string> = {
  elite: 'Elite',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
};
