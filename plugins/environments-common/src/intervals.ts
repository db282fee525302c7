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
 * The stretches during which at least `capacity` of `held` are active at once: where no further
 * booking fits. One sweep over the start and end instants, so O(n log n).
 */
export function fullStretches(held: Interval[], capacity: number): Interval[] {
  // At equal instants ends come first: back-to-back intervals never overlap.
  const events = held
    // An empty or inverted interval holds nothing.
    .filter(h => h.end > h.start)
    .flatMap(h => [
      { at: h.start, change: 1 },
      { at: h.end, change: -1 },
    ])
    .sort((a, b) => a.at - b.at || a.change - b.change);
  const stretches: Interval[] = [];
  let active = 0;
  let fullSince: number | undefined;
  for (const { at, change } of events) {
    active += change;
    if (active >= capacity && fullSince === undefined) fullSince = at;
    if (active < capacity && fullSince !== undefined) {
      if (at > fullSince) stretches.push({ start: fullSince, end: at });
      fullSince = undefined;
    }
  }
  return stretches;
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
  if (capacity < 1) return undefined;
  const blocked = fullStretches(held, capacity);
  if (componentRef !== undefined) {
    blocked.push(
      ...fullStretches(
        held.filter(h => h.componentRef === componentRef),
        1,
      ),
    );
  }
  blocked.sort((a, b) => a.start - b.start);
  // A slot can only open at `from` or where a blocked stretch ends.
  let start = from;
  for (const stretch of blocked) {
    if (start > searchUntil) return undefined;
    if (stretch.end <= start) continue;
    if (stretch.start >= start + durationMs) break;
    start = stretch.end;
  }
  return start > searchUntil ? undefined : { start, end: start + durationMs };
}
