/** Latency percentiles of a set of timings, in milliseconds. */
export function percentiles(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) =>
    sorted.length === 0
      ? NaN
      : sorted[
          Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))
        ];
  return { p50: at(50), p95: at(95), p99: at(99), count: sorted.length };
}

/** The median of repeated measurements and their spread (max − min) as a share of it. */
export function medianAndSpread(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  return { median, spread: (sorted[sorted.length - 1] - sorted[0]) / median };
}

/** A latency in ms, with two decimals below 10 ms and one above. */
export function ms(value: number): string {
  if (Number.isNaN(value)) return '–';
  return value < 10 ? value.toFixed(2) : value.toFixed(1);
}
