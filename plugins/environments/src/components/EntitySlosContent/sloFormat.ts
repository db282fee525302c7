/** `99.891%`: SLIs and targets, with enough digits to tell nines apart. */
export function formatSli(value: number | undefined): string {
  if (value === undefined) return 'no data';
  return `${(value * 100).toFixed(value >= 0.99 ? 3 : 2)}%`;
}

/** `-1.9%`: a share of the error budget, negative when overspent. */
export function formatBudget(value: number | undefined): string {
  if (value === undefined) return 'no data';
  return `${(value * 100).toFixed(1)}%`;
}

/** `2d 3h`, `45m`: a duration in its two largest units. */
export function formatDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return '< 1m';
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  const parts = days
    ? [`${days}d`, hours ? `${hours}h` : '']
    : [hours ? `${hours}h` : '', rest ? `${rest}m` : ''];
  return parts.filter(Boolean).join(' ');
}

/** How long until the budget is gone, in words. */
export function formatExhaustion(
  remaining: number | undefined,
  ms: number | undefined,
): string {
  if (remaining === undefined) return 'no data';
  if (remaining <= 0) return 'budget spent';
  if (ms === undefined) return 'not burning';
  return `in ${formatDuration(ms)} at the current burn rate`;
}
