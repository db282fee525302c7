import {
  appliesTo,
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

  it.each([
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
