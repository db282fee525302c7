/**
 * Half-open time intervals `[start, end)` in epoch milliseconds, and the capacity rules built on
 * them. Back-to-back intervals (one's end equals the next one's start) do not overlap.
 */
export interface Interval {
  start: number;
  end: number;
}

/** Whether two half-open intervals share at least one instant. */
export function overlaps(a: Interval, b: Interval): boolean {
  return a.start < b.end && b.start < a.end;
}

/**
 * The held intervals that leave no room for `request` on a resource with `capacity` slots: those
 * overlapping the request at an instant where all slots are taken. Empty means the request fits.
 */
export function capacityConflicts<T extends Interval>(
  held: T[],
  request: Interval,
  capacity: number,
): T[] {
  const overlapping = held.filter(h => overlaps(h, request));
  if (overlapping.length < capacity) return [];
  // Occupancy only rises at a start, so checking each start inside the request is enough.
  const instants = [
    request.start,
    ...overlapping.map(h => h.start).filter(s => s > request.start),
  ];
  const conflicting = new Set<T>();
  for (const instant of instants) {
    const active = overlapping.filter(
      h => h.start <= instant && instant < h.end,
    );
    if (active.length >= capacity) active.forEach(h => conflicting.add(h));
  }
  return overlapping.filter(h => conflicting.has(h));
}

/** An interval that may occupy one component slot of its environment. */
export interface SlotInterval extends Interval {
  /** The component of a shared environment booked on its own; absent for the whole environment. */
  componentRef?: string;
}

/**
 * The held intervals that leave no room for `request`: every booking takes one of the
 * environment's `capacity` places, and a component slot can be held by one booking at a time.
 */
export function slotConflicts<T extends SlotInterval>(
  held: T[],
  request: SlotInterval,
  capacity: number,
): T[] {
  const conflicting = new Set(capacityConflicts(held, request, capacity));
  if (request.componentRef !== undefined) {
    const sameSlot = held.filter(h => h.componentRef === request.componentRef);
    capacityConflicts(sameSlot, request, 1).forEach(h => conflicting.add(h));
  }
  return held.filter(h => conflicting.has(h));
}

/**
 * The earliest interval of `durationMs` starting at or after `from` that fits next to `held`
 * (see `slotConflicts`), searching no later than `searchUntil`; undefined when none fits.
 */
export function nextFreeSlot(
  held: SlotInterval[],
  from: number,
  durationMs: number,
  capacity: number,
  searchUntil: number,
  componentRef?: string,
): Interval | undefined {
  // A slot can only open at `from` or when a held interval ends.
  const candidates = [
    from,
    ...held.map(h => h.end).filter(end => end > from),
  ].sort((a, b) => a - b);
  for (const start of candidates) {
    if (start > searchUntil) break;
    const slot = { start, end: start + durationMs };
    if (slotConflicts(held, { ...slot, componentRef }, capacity).length === 0)
      return slot;
  }
  return undefined;
}
