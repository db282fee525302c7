import { Interval } from '@internal/plugin-environments-common';

/**
 * How much of an environment's bookable time bookings used in `window`:
 *
 *   utilisation = booked time / bookable time
 *   bookable time = (window length − blacked-out time in the window) × capacity
 *   booked time = Σ over bookings of their time inside the window and outside blackouts
 *
 * Every booking takes one of the `capacity` places (a component slot too), so a shared
 * environment with 5 places held by one booking all week is 20% used. `held` are the intervals
 * bookings actually held (an early release ends its interval). Undefined when nothing was
 * bookable: the whole window blacked out, or no capacity.
 */
export function utilisation(options: {
  held: Interval[];
  blackouts: Interval[];
  capacity: number;
  window: Interval;
}): number | undefined {
  const { held, capacity, window } = options;
  const blackouts = union(options.blackouts, window);
  const blackedOut = blackouts.reduce((sum, b) => sum + (b.end - b.start), 0);
  const bookable = (window.end - window.start - blackedOut) * capacity;
  if (!(bookable > 0)) return undefined;
  let booked = 0;
  for (const interval of held) {
    const [inWindow] = union([interval], window);
    if (!inWindow) continue;
    booked += inWindow.end - inWindow.start;
    for (const blackout of blackouts) {
      booked -= Math.max(
        0,
        Math.min(inWindow.end, blackout.end) -
          Math.max(inWindow.start, blackout.start),
      );
    }
  }
  // More bookings than places cannot happen through the booking rules; one admitted before a
  // capacity cut can, and the share stays a share.
  return Math.min(1, booked / bookable);
}

/** The intervals clipped to `within`, merged where they overlap or touch, in order. */
function union(intervals: Interval[], within: Interval): Interval[] {
  const clipped = intervals
    .map(i => ({
      start: Math.max(i.start, within.start),
      end: Math.min(i.end, within.end),
    }))
    .filter(i => i.end > i.start)
    .sort((a, b) => a.start - b.start);
  const merged: Interval[] = [];
  for (const interval of clipped) {
    const last = merged[merged.length - 1];
    if (last && interval.start <= last.end) {
      last.end = Math.max(last.end, interval.end);
    } else {
      merged.push({ ...interval });
    }
  }
  return merged;
}
