import { earliestFreeSlot } from './availability';

const H = 3600_000;
const i = (start: number, end: number) => ({ start: start * H, end: end * H });

describe('earliestFreeSlot', () => {
  it('is the start of the window when nothing is booked', () => {
    expect(
      earliestFreeSlot({
        held: [],
        blackouts: [],
        capacity: 1,
        from: 0,
        to: 72 * H,
        durationMs: 24 * H,
      }),
    ).toEqual(i(0, 24));
  });

  it('skips bookings and blackouts, and fits exactly at the window end', () => {
    expect(
      earliestFreeSlot({
        held: [i(0, 10)],
        blackouts: [i(20, 30)],
        capacity: 1,
        from: 0,
        to: 40 * H,
        durationMs: 10 * H,
      }),
    ).toEqual(i(10, 20));
    expect(
      earliestFreeSlot({
        held: [i(0, 10)],
        blackouts: [i(15, 30)],
        capacity: 1,
        from: 0,
        to: 40 * H,
        durationMs: 10 * H,
      }),
    ).toEqual(i(30, 40));
  });

  it('lets shared environments take a booking beside another, but not in a blackout', () => {
    const options = { capacity: 2, from: 0, to: 40 * H, durationMs: 10 * H };
    expect(
      earliestFreeSlot({ ...options, held: [i(0, 10)], blackouts: [] }),
    ).toEqual(i(0, 10));
    expect(
      earliestFreeSlot({ ...options, held: [], blackouts: [i(0, 10)] }),
    ).toEqual(i(10, 20));
  });

  it('is undefined when nothing fits in the window', () => {
    expect(
      earliestFreeSlot({
        held: [i(5, 40)],
        blackouts: [],
        capacity: 1,
        from: 0,
        to: 40 * H,
        durationMs: 10 * H,
      }),
    ).toBeUndefined();
  });
});
