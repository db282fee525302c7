import { decideIdle, idleSince } from './idleRelease';

const HOUR = 3600_000;
const MINUTE = 60_000;
// A booking from 08:00 on 27 November 2026; times are hours after that.
const START = Date.parse('2026-11-27T08:00:00Z');
const at = (hours: number) => new Date(START + hours * HOUR);

/** 4 h idle release with 60 min grace, booking started at 0 h. */
const decide = (
  now: number,
  extra: {
    lastDeploymentAt?: number;
    offeredAt?: number;
    keptAt?: number;
    idleReleaseHours?: number | null;
  } = {},
) =>
  decideIdle({
    booking: {
      start: at(0),
      idleOfferedAt:
        extra.offeredAt === undefined ? undefined : at(extra.offeredAt),
      idleKeptAt: extra.keptAt === undefined ? undefined : at(extra.keptAt),
    },
    lastDeploymentAt:
      extra.lastDeploymentAt === undefined
        ? undefined
        : at(extra.lastDeploymentAt),
    idleReleaseHours:
      extra.idleReleaseHours === null ? undefined : extra.idleReleaseHours ?? 4,
    graceMs: 60 * MINUTE,
    now: at(now),
  });

describe('idleSince', () => {
  it('is the latest of the start, the last deployment and the last keep', () => {
    expect(idleSince({ start: at(0) })).toEqual(at(0));
    // A deployment before the booking started does not move the clock back.
    expect(idleSince({ start: at(0) }, at(-5))).toEqual(at(0));
    expect(idleSince({ start: at(0), idleKeptAt: at(3) }, at(2))).toEqual(
      at(3),
    );
    expect(idleSince({ start: at(0), idleKeptAt: at(3) }, at(6))).toEqual(
      at(6),
    );
  });
});

describe('decideIdle', () => {
  it('offers the release once N hours pass without a deployment since the start', () => {
    // 3 h 59 min after the start: not yet; 4 h: offer.
    expect(decide(4 - 1 / 60)).toBe('none');
    expect(decide(4)).toBe('offer');
  });

  it('counts from the last deployment when it is later than the start', () => {
    // Deployed at 2 h: idle from 2 h, so the offer comes at 6 h, not 4 h.
    expect(decide(5, { lastDeploymentAt: 2 })).toBe('none');
    expect(decide(6, { lastDeploymentAt: 2 })).toBe('offer');
  });

  it('counts from the holder keeping it', () => {
    // Offered at 4 h, kept at 4.5 h (which closed the offer): the next offer is due at 8.5 h.
    expect(decide(8, { keptAt: 4.5 })).toBe('none');
    expect(decide(8.5, { keptAt: 4.5 })).toBe('offer');
  });

  it('releases after the grace period of an unanswered offer', () => {
    // Offered at 4 h with 60 min grace: waits until 5 h, then releases.
    expect(decide(4.5, { offeredAt: 4 })).toBe('none');
    expect(decide(5, { offeredAt: 4 })).toBe('release');
  });

  it('withdraws an open offer when a deployment came after it', () => {
    expect(decide(4.75, { offeredAt: 4, lastDeploymentAt: 4.5 })).toBe(
      'withdraw',
    );
    // A deployment before the offer is what the offer already knew of.
    expect(decide(5, { offeredAt: 4, lastDeploymentAt: -1 })).toBe('release');
  });

  it('does nothing without an idle-release policy, and withdraws an offer made under one', () => {
    expect(decide(100, { idleReleaseHours: null })).toBe('none');
    expect(decide(100, { idleReleaseHours: null, offeredAt: 4 })).toBe(
      'withdraw',
    );
  });
});
