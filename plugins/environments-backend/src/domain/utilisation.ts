import { Interval } from '@internal/plugin-environments-common';
import { slotTime } from './analytics';

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
  // The same rule as the usage analytics' usage, over one window.
  const { bookedMs, bookableMs } = slotTime({
    held: options.held,
    closed: options.blackouts,
    capacity: options.capacity,
    window: options.window,
  });
  if (!(bookableMs > 0)) return undefined;
  // More bookings than places cannot happen through the booking rules; one admitted before a
  // capacity cut can, and the share stays a share.
  return Math.min(1, bookedMs / bookableMs);
}
