import {
  appliesTo,
  auditedBlackout,
  effectiveStatus,
  parseNewBlackout,
  StoredBlackout,
} from './blackouts';

const now = new Date('2026-11-27T12:00:00.000Z');
const HOUR = 3600_000;
const at = (h: number) => new Date(now.getTime() + h * HOUR);

function blackout(
  kind: 'blackout' | 'maintenance',
  from: number,
  to: number,
): StoredBlackout {
  return {
    id: 'x',
    scope: 'tier',
    scopeKey: 'staging',
    kind,
    title: 't',
    start: at(from),
    end: at(to),
    createdByRef: 'user:default/dave',
    createdAt: now,
  };
}

describe('parseNewBlackout', () => {
  const valid = {
    scope: 'environment',
    scopeKey: 'qa-1',
    title: 'Release freeze',
    start: at(1).toISOString(),
    end: at(2).toISOString(),
  };

  it('defaults to a blackout and normalises the environment ref', () => {
    expect(parseNewBlackout(valid, now)).toMatchObject({
      scope: 'environment',
      scopeKey: 'resource:default/qa-1',
      kind: 'blackout',
    });
    expect(
      parseNewBlackout({ ...valid, scope: 'tier', scopeKey: ' Staging ' }, now)
        .scopeKey,
    ).toBe('staging');
  });

  it('is one occurrence without a rule', () => {
    const parsed = parseNewBlackout(valid, now);
    expect(parsed.rrule).toBeUndefined();
    expect(parsed.occurrences).toEqual([{ start: at(1), end: at(2) }]);
  });

  it('expands a rule into its occurrences and keeps it ending at the last one', () => {
    // Friday 27 November 2026, 13:00-14:00 UTC, every week three times.
    const parsed = parseNewBlackout(
      { ...valid, rrule: 'FREQ=WEEKLY;COUNT=3' },
      now,
    );
    expect(
      parsed.occurrences.map(o => [o.start.toISOString(), o.end.toISOString()]),
    ).toEqual([
      ['2026-11-27T13:00:00.000Z', '2026-11-27T14:00:00.000Z'],
      ['2026-12-04T13:00:00.000Z', '2026-12-04T14:00:00.000Z'],
      ['2026-12-11T13:00:00.000Z', '2026-12-11T14:00:00.000Z'],
    ]);
    expect(parsed.rrule).toBe('FREQ=WEEKLY;UNTIL=20261211T130000Z');
  });

  it.each([
    [{ rrule: 'FREQ=DAILY' }, /rrule: must end, with COUNT or UNTIL/],
    [{ rrule: 'FREQ=DAILY;COUNT=101' }, /rrule: .*at most 100 occurrences/],
    [{ rrule: 'FREQ=MONTHLY;COUNT=13' }, /rrule: .*within 365 days/],
    [{ rrule: 7 }, /rrule: must be an RFC 5545 RRULE/],
    [{ kind: 'party' }, /kind: must be blackout or maintenance/],
    [{ end: at(1).toISOString() }, /end: must be after start/],
    [
      { start: at(-3).toISOString(), end: at(-2).toISOString() },
      /end: must be in the future/,
    ],
    [{ scope: 'tier', scopeKey: '  ' }, /scopeKey: must name a tier/],
    [
      { start: '9999-01-01T00:00:00Z', end: '9999-01-02T00:00:00Z' },
      /start: must be within 365 days from now/,
    ],
    [{ title: ' ' }, /title: must not be blank/],
    [{ extra: 1 }, /Unknown field/],
  ])('refuses %j', (override, message) => {
    expect(() => parseNewBlackout({ ...valid, ...override }, now)).toThrow(
      message,
    );
  });
});

describe('appliesTo', () => {
  it('matches by environment ref or by tier', () => {
    const env = { entityRef: 'resource:default/qa-1', tier: 'staging' };
    expect(appliesTo(blackout('blackout', 0, 1), env)).toBe(true);
    expect(
      appliesTo({ ...blackout('blackout', 0, 1), scopeKey: 'prod' }, env),
    ).toBe(false);
    expect(
      appliesTo(
        {
          ...blackout('blackout', 0, 1),
          scope: 'environment',
          scopeKey: 'resource:default/qa-1',
        },
        env,
      ),
    ).toBe(true);
  });
});

describe('effectiveStatus', () => {
  it('shows an available environment inside a maintenance window as in maintenance', () => {
    expect(
      effectiveStatus('available', [blackout('maintenance', -1, 1)], now),
    ).toBe('maintenance');
  });

  it('ignores plain blackouts, windows not covering now, and non-available statuses', () => {
    expect(
      effectiveStatus('available', [blackout('blackout', -1, 1)], now),
    ).toBe('available');
    expect(
      effectiveStatus('available', [blackout('maintenance', -2, 0)], now),
    ).toBe('available');
    expect(
      effectiveStatus('retired', [blackout('maintenance', -1, 1)], now),
    ).toBe('retired');
  });
});

describe('auditedBlackout', () => {
  it('is the blackout as the API shows it', () => {
    expect(auditedBlackout([blackout('maintenance', 1, 2)])).toEqual({
      id: 'x',
      scope: 'tier',
      scopeKey: 'staging',
      kind: 'maintenance',
      title: 't',
      start: at(1).toISOString(),
      end: at(2).toISOString(),
      createdByRef: 'user:default/dave',
      createdAt: now.toISOString(),
    });
  });

  it('lists the bounds of every occurrence of a recurring one', () => {
    const audited = auditedBlackout([
      { ...blackout('blackout', 1, 2), seriesId: 's', rrule: 'FREQ=DAILY' },
      { ...blackout('blackout', 25, 26), seriesId: 's', rrule: 'FREQ=DAILY' },
    ]);
    expect(audited).toMatchObject({
      start: at(1).toISOString(),
      seriesId: 's',
      rrule: 'FREQ=DAILY',
      occurrences: [
        { start: at(1).toISOString(), end: at(2).toISOString() },
        { start: at(25).toISOString(), end: at(26).toISOString() },
      ],
    });
  });
});
