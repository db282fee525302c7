import { healthSummary } from './healthText';

describe('healthSummary', () => {
  const now = Date.parse('2026-11-27T10:00:00.000Z');

  it('names the status, the reason and how long it has lasted', () => {
    expect(
      healthSummary(
        {
          status: 'down',
          reason: 'answered 503',
          since: '2026-11-27T09:50:00.000Z',
          checkedAt: '2026-11-27T09:59:30.000Z',
        },
        now,
      ),
    ).toBe('Health: down — answered 503, since 10 min ago');
  });

  it('leaves out what the backend did not say', () => {
    expect(
      healthSummary({ status: 'up', since: '2026-11-27T07:00:00.000Z' }, now),
    ).toBe('Health: up, since 3 h ago');
    expect(
      healthSummary({ status: 'degraded', reason: 'answered in 2300 ms' }, now),
    ).toBe('Health: degraded — answered in 2300 ms');
    expect(healthSummary({ status: 'unknown' }, now)).toBe('Health: unknown');
  });
});
