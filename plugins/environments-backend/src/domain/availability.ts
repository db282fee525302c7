import { Interval, nextFreeSlot } from '@internal/plugin-environments-common';

/**
 * The earliest slot of `durationMs` in `[from, to)` on an environment with `capacity` slots,
 * next to its bookings and holds (`held`) and outside its blackouts; undefined when none fits.
 */
export function earliestFreeSlot(options: {
  held: Interval[];
  blackouts: Interval[];
  capacity: number;
  from: number;
  to: number;
  durationMs: number;
}): Interval | undefined {
  const { held, blackouts, capacity, from, to, durationMs } = options;
  // A blackout takes every slot: count it once per slot.
  const taken = [
    ...held,
    ...blackouts.flatMap(b => Array.from({ length: capacity }, () => b)),
  ];
  const slot = nextFreeSlot(taken, from, durationMs, capacity, to - durationMs);
  return slot && slot.end <= to ? slot : undefined;
}
