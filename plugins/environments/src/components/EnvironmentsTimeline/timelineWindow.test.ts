import { percentOf, slotAt, ticks, timelineWindow } from './timelineWindow';

describe('timeline window', () => {
  const day = new Date(2026, 11, 1, 15, 30);

  it('starts at local midnight and spans the zoom', () => {
    const window = timelineWindow(day, 'week');
    expect(window.from).toEqual(new Date(2026, 11, 1));
    expect(window.to).toEqual(new Date(2026, 11, 8));
  });

  it('places instants in percent, clamped to the window', () => {
    const window = timelineWindow(day, 'day');
    expect(percentOf(new Date(2026, 11, 1, 12), window)).toBeCloseTo(50);
    expect(percentOf(new Date(2026, 10, 30), window)).toBe(0);
    expect(percentOf(new Date(2026, 11, 3), window)).toBe(100);
  });

  it('proposes a slot at the clicked hour, or the clicked day at month zoom', () => {
    expect(slotAt(0.5, timelineWindow(day, 'day'), 'day')).toEqual({
      start: new Date(2026, 11, 1, 12),
      end: new Date(2026, 11, 1, 14),
    });
    expect(slotAt(0.1, timelineWindow(day, 'month'), 'month')).toEqual({
      start: new Date(2026, 11, 4),
      end: new Date(2026, 11, 5),
    });
  });

  it('ticks every 3 hours by day and every day otherwise', () => {
    expect(ticks(timelineWindow(day, 'day'), 'day')).toHaveLength(8);
    expect(ticks(timelineWindow(day, 'week'), 'week')).toHaveLength(7);
  });
});
