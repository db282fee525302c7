import { utilisation } from './utilisation';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
// The last 7 days before a Monday 09:00: 168 hours.
const END = Date.parse('2026-11-23T09:00:00Z');
const window = { start: END - 7 * DAY, end: END };
/** An interval of hours from the window's start. */
const hours = (from: number, to: number) => ({
  start: window.start + from * HOUR,
  end: window.start + to * HOUR,
});

describe('utilisation', () => {
  it('is booked time over bookable time: 42 of 168 hours is 25%', () => {
    expect(
      utilisation({
        held: [hours(0, 10), hours(24, 56)],
        blackouts: [],
        capacity: 1,
        window,
      }),
    ).toBe(42 / 168);
  });

  it('is 0 for an environment nobody booked', () => {
    expect(utilisation({ held: [], blackouts: [], capacity: 1, window })).toBe(
      0,
    );
  });

  it('counts each booking as one of the places: 1 of 5 places all week is 20%', () => {
    expect(
      utilisation({
        held: [hours(0, 168)],
        blackouts: [],
        capacity: 5,
        window,
      }),
    ).toBe(0.2);
  });

  it('counts only the part of a booking inside the window', () => {
    // Booked from 10 hours before the window to 24 hours into it, and from 2 hours before its
    // end to 30 hours after: 24 + 2 hours.
    expect(
      utilisation({
        held: [hours(-10, 24), hours(166, 198)],
        blackouts: [],
        capacity: 1,
        window,
      }),
    ).toBe(26 / 168);
  });

  it('back-to-back bookings add up exactly', () => {
    expect(
      utilisation({
        held: [hours(0, 84), hours(84, 168)],
        blackouts: [],
        capacity: 1,
        window,
      }),
    ).toBe(1);
  });

  it('leaves blacked-out time out of both sides', () => {
    // A 24-hour blackout leaves 144 bookable hours; a 36-hour booking overlapping it by 12
    // hours used 24 of them: 1/6.
    expect(
      utilisation({
        held: [hours(12, 48)],
        blackouts: [hours(0, 24)],
        capacity: 1,
        window,
      }),
    ).toBe(24 / 144);
  });

  it('counts overlapping blackouts once, and only inside the window', () => {
    // [-24, 48) and [24, 72) black out hours 0 to 72 of the window: 96 bookable hours.
    expect(
      utilisation({
        held: [hours(72, 96)],
        blackouts: [hours(-24, 48), hours(24, 72)],
        capacity: 2,
        window,
      }),
    ).toBe(24 / (96 * 2));
  });

  it('is unknown when nothing was bookable', () => {
    expect(
      utilisation({
        held: [],
        blackouts: [hours(-1, 200)],
        capacity: 1,
        window,
      }),
    ).toBeUndefined();
    expect(
      utilisation({ held: [], blackouts: [], capacity: 0, window }),
    ).toBeUndefined();
  });

  it('stays a share when more bookings held it than it has places', () => {
    // Two exclusive bookings admitted before the capacity was cut to 1.
    expect(
      utilisation({
        held: [hours(0, 168), hours(0, 168)],
        blackouts: [],
        capacity: 1,
        window,
      }),
    ).toBe(1);
  });
});
