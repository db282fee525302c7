/** The zoom levels of the timeline and the span each shows. */
export type Zoom = 'day' | 'week' | 'month';

const DAY = 24 * 3600_000;
export const ZOOM_DAYS: Record<Zoom, number> = { day: 1, week: 7, month: 30 };

/** The window `[from, to)` shown at a zoom level, starting at local midnight of `day`. */
export function timelineWindow(
  day: Date,
  zoom: Zoom,
): { from: Date; to: Date } {
  const from = new Date(day);
  from.setHours(0, 0, 0, 0);
  return { from, to: new Date(from.getTime() + ZOOM_DAYS[zoom] * DAY) };
}

/** Where an instant falls in the window, from 0 to 100 percent, clamped. */
export function percentOf(
  instant: Date,
  window: { from: Date; to: Date },
): number {
  const span = window.to.getTime() - window.from.getTime();
  const offset = instant.getTime() - window.from.getTime();
  return Math.min(100, Math.max(0, (offset / span) * 100));
}

/**
 * The slot a click proposes: from the clicked instant rounded down to the hour (a day at month
 * zoom), two hours long (a day at month zoom).
 */
export function slotAt(
  fraction: number,
  window: { from: Date; to: Date },
  zoom: Zoom,
) {
  const instant =
    window.from.getTime() +
    fraction * (window.to.getTime() - window.from.getTime());
  const step = zoom === 'month' ? DAY : 3600_000;
  const start = new Date(
    window.from.getTime() +
      Math.floor((instant - window.from.getTime()) / step) * step,
  );
  const end = new Date(
    start.getTime() + (zoom === 'month' ? DAY : 2 * 3600_000),
  );
  return { start, end };
}

/** Tick marks: every 3 hours at day zoom, every day otherwise. */
export function ticks(window: { from: Date; to: Date }, zoom: Zoom): Date[] {
  const step = zoom === 'day' ? 3 * 3600_000 : DAY;
  const result: Date[] = [];
  for (let t = window.from.getTime(); t < window.to.getTime(); t += step) {
    result.push(new Date(t));
  }
  return result;
}
