import {
  applyAction,
  isCurrent,
  parseNewBooking,
  StoredBooking,
} from './bookings';

const now = new Date('2026-11-27T12:00:00.000Z');
const HOUR = 3600_000;

function booking(
  startOffsetH: number,
  endOffsetH: number,
  status = 'approved',
): StoredBooking {
  return {
    id: 'b1',
    environmentRef: 'resource:default/qa-1',
    requesterRef: 'user:default/alice',
    title: 'Test',
    purpose: 'testing',
    start: new Date(now.getTime() + startOffsetH * HOUR),
    end: new Date(now.getTime() + endOffsetH * HOUR),
    status: status as StoredBooking['status'],
    originalEnd: new Date(now.getTime() + endOffsetH * HOUR),
    extensionCount: 0,
    createdAt: now,
    updatedAt: now,
  };
}

describe('parseNewBooking', () => {
  const valid = {
    environmentRef: 'qa-1',
    title: '  Release 42  ',
    purpose: 'testing',
    start: '2026-11-28T09:00:00+01:00',
    end: '2026-11-28T17:00:00.000Z',
  };

  it('normalises refs, trims the title and reads offsets into UTC', () => {
    expect(parseNewBooking(valid, now)).toEqual({
      environmentRef: 'resource:default/qa-1',
      title: 'Release 42',
      purpose: 'testing',
      reason: undefined,
      externalLink: undefined,
      teamRef: undefined,
      start: new Date('2026-11-28T08:00:00.000Z'),
      end: new Date('2026-11-28T17:00:00.000Z'),
    });
  });

  it('accepts a start within the grace period before now', () => {
    const start = new Date(now.getTime() - 4 * 60_000).toISOString();
    expect(() => parseNewBooking({ ...valid, start }, now)).not.toThrow();
  });

  it.each([
    [null, /must be a JSON object/],
    [[], /must be a JSON object/],
    [{ ...valid, title: 42 }, /title: must be a string/],
    [{ ...valid, environmentRef: undefined }, /environmentRef: is required/],
    [
      { ...valid, environmentRef: 'resource:' },
      /environmentRef: is not a valid entity ref/,
    ],
    [
      { ...valid, teamRef: 'user:default/alice' },
      /teamRef: must refer to a group/,
    ],
    [{ ...valid, start: '2026-02-30T09:00:00Z' }, /start: must be an ISO 8601/],
    [{ ...valid, reason: 'x'.repeat(4001) }, /reason: must be at most 4000/],
  ])('refuses %j', (body, message) => {
    expect(() => parseNewBooking(body, now)).toThrow(message);
  });
});

describe('isCurrent', () => {
  it('is true from start (inclusive) to end (exclusive) for approved bookings', () => {
    expect(isCurrent(booking(0, 1), now)).toBe(true);
    expect(isCurrent(booking(-1, 0), now)).toBe(false);
    expect(isCurrent(booking(1, 2), now)).toBe(false);
    expect(isCurrent(booking(-1, 1, 'released'), now)).toBe(false);
  });
});

describe('applyAction', () => {
  it('releases a running booking by ending it now', () => {
    expect(applyAction(booking(-1, 1), 'release', now)).toEqual({
      status: 'released',
      end: now,
    });
  });

  it('cancels a booking that has not started, keeping its times', () => {
    const future = booking(1, 2);
    expect(applyAction(future, 'cancel', now)).toEqual({
      status: 'cancelled',
      end: future.end,
    });
  });

  it.each([
    [booking(1, 2), 'release', /has not started yet; cancel it instead/],
    [booking(-1, 1), 'cancel', /has already started; release it instead/],
    [booking(-2, -1), 'release', /already over/],
    [booking(1, 2, 'cancelled'), 'cancel', /already over \(cancelled\)/],
  ] as const)('refuses %#', (b, action, message) => {
    const outcome = applyAction(b, action, now);
    expect('refused' in outcome && outcome.refused).toMatch(message);
  });
});
