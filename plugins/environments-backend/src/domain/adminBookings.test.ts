import {
  affectedHolders,
  forceRelease,
  parseForceRelease,
  parseReassignment,
} from './adminBookings';
import { StoredBooking } from './bookings';

const now = new Date('2026-11-28T12:00:00.000Z');
const HOUR = 3600_000;
const at = (h: number) => new Date(now.getTime() + h * HOUR);

function booking(overrides: Partial<StoredBooking> = {}): StoredBooking {
  return {
    id: 'b-1',
    environmentRef: 'resource:default/qa-1',
    requesterRef: 'user:default/alice',
    teamRef: 'group:default/payments-team',
    title: 'Release 42',
    purpose: 'testing',
    start: at(-1),
    end: at(2),
    status: 'approved',
    originalEnd: at(2),
    extensionCount: 0,
    createdAt: at(-5),
    updatedAt: at(-5),
    ...overrides,
  };
}

describe('parseForceRelease', () => {
  it('keeps the reason, trimmed', () => {
    expect(parseForceRelease({ reason: '  Needed for the hotfix ' })).toEqual({
      reason: 'Needed for the hotfix',
    });
  });

  it.each([
    [{}, /reason: is required/],
    [{ reason: '   ' }, /reason: must not be blank/],
    [{ reason: 42 }, /reason: must be a string/],
    [{ reason: 'x'.repeat(4001) }, /reason: must be at most 4000 characters/],
    [{ reason: 'ok', note: 'x' }, /Unknown field\(s\): note/],
    [null, /must be a JSON object/],
  ])('refuses %j', (body, message) => {
    expect(() => parseForceRelease(body)).toThrow(message);
  });
});

describe('parseReassignment', () => {
  it('normalises the refs, defaulting their kind and namespace', () => {
    expect(
      parseReassignment({
        requesterRef: 'bob',
        teamRef: 'search-team',
        reason: 'Alice is on leave',
      }),
    ).toEqual({
      requesterRef: 'user:default/bob',
      teamRef: 'group:default/search-team',
      reason: 'Alice is on leave',
    });
  });

  it('takes a requester or a team alone', () => {
    expect(
      parseReassignment({ teamRef: 'group:ops/sre', reason: 'r' }),
    ).toEqual({ teamRef: 'group:ops/sre', reason: 'r' });
    expect(
      parseReassignment({ requesterRef: 'user:default/bob', reason: 'r' })
        .requesterRef,
    ).toBe('user:default/bob');
  });

  it.each([
    [{ reason: 'r' }, /give a new requester, team, or both/],
    [{ requesterRef: 'group:default/x', reason: 'r' }, /must refer to a user/],
    [{ teamRef: 'user:default/bob', reason: 'r' }, /must refer to a group/],
    [{ requesterRef: 'user:', reason: 'r' }, /not a valid entity ref/],
    [{ requesterRef: 'bob' }, /reason: is required/],
    [{ requesterRef: 'bob', reason: '' }, /reason: must not be blank/],
  ])('refuses %j', (body, message) => {
    expect(() => parseReassignment(body)).toThrow(message);
  });
});

describe('forceRelease', () => {
  it('releases a running booking now', () => {
    expect(forceRelease(booking(), now)).toEqual({
      status: 'released',
      end: now,
    });
  });

  it('cancels one that has not started, pending ones too', () => {
    expect(
      forceRelease(booking({ start: at(1), status: 'pending' }), now),
    ).toEqual({ status: 'cancelled', end: at(2) });
  });

  it.each([
    ['released', at(2)],
    ['cancelled', at(2)],
    ['rejected', at(2)],
    ['expired', at(-0.5)],
    ['approved', now],
  ] as const)('refuses a booking %s ending at %s', (status, end) => {
    expect(forceRelease(booking({ status, end }), now)).toEqual({
      refused: `Booking b-1 is already over (${status})`,
    });
  });
});

describe('affectedHolders', () => {
  it('names the old and new requester and team once each', () => {
    expect(
      affectedHolders(
        booking(),
        booking({
          requesterRef: 'user:default/bob',
          teamRef: 'group:default/payments-team',
        }),
      ),
    ).toEqual([
      'user:default/alice',
      'group:default/payments-team',
      'user:default/bob',
    ]);
  });

  it('leaves out a team the booking never had', () => {
    expect(
      affectedHolders(
        booking({ teamRef: undefined }),
        booking({ teamRef: undefined, requesterRef: 'user:default/bob' }),
      ),
    ).toEqual(['user:default/alice', 'user:default/bob']);
  });
});
