import {
  endingAtLastOccurrence,
  expandOccurrences,
  MAX_OCCURRENCES,
} from './recurrence';

const now = new Date('2026-11-27T12:00:00.000Z');
// Monday 2026-11-30, 09:00-11:00 UTC.
const first = {
  start: new Date('2026-11-30T09:00:00.000Z'),
  end: new Date('2026-11-30T11:00:00.000Z'),
};

describe('expandOccurrences', () => {
  it('expands a weekly rule from the first occurrence, keeping its length', () => {
    const occurrences = expandOccurrences(
      'FREQ=WEEKLY;BYDAY=MO,WE;COUNT=4',
      first,
      now,
    );
    expect(
      occurrences.map(o => [o.start.toISOString(), o.end.toISOString()]),
    ).toEqual([
      ['2026-11-30T09:00:00.000Z', '2026-11-30T11:00:00.000Z'],
      ['2026-12-02T09:00:00.000Z', '2026-12-02T11:00:00.000Z'],
      ['2026-12-07T09:00:00.000Z', '2026-12-07T11:00:00.000Z'],
      ['2026-12-09T09:00:00.000Z', '2026-12-09T11:00:00.000Z'],
    ]);
  });

  it('accepts an RRULE: prefix and UNTIL', () => {
    expect(
      expandOccurrences('RRULE:FREQ=DAILY;UNTIL=20261202T235959Z', first, now),
    ).toHaveLength(3);
  });

  it.each([
    ['', /rrule: must be an RFC 5545 RRULE/],
    [42, /rrule: must be an RFC 5545 RRULE/],
    ['FREQ=WEEKLY', /must end, with COUNT or UNTIL/],
    ['COUNT=3', /FREQ is required/],
    ['FREQ=FORTNIGHTLY;COUNT=2', /rrule:/],
    [`FREQ=DAILY;COUNT=${MAX_OCCURRENCES + 1}`, /at most 100 occurrences/],
    ['FREQ=DAILY;COUNT=10000', /at most 100 occurrences/],
    ['FREQ=MONTHLY;COUNT=14', /within 365 days/],
    ['DTSTART:20261201T000000Z\nRRULE:FREQ=DAILY;COUNT=2', /rrule/],
    ['FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30;COUNT=1', /BYMONTH, BYMONTHDAY not/],
    ['FREQ=DAILY;INTERVAL=7;BYDAY=TU;COUNT=1', /weekly rules only/],
  ])('refuses %j', (rule, message) => {
    expect(() => expandOccurrences(rule, first, now)).toThrow(message);
  });

  // Rules whose filters match no date made rrule walk to the year 9999: seconds per request.
  it.each([
    'FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=30;COUNT=1',
    'FREQ=MINUTELY;BYMONTH=4;BYMONTHDAY=31;COUNT=2',
    'FREQ=DAILY;INTERVAL=7;BYDAY=TU;UNTIL=20271231T000000Z',
    'FREQ=MONTHLY;BYDAY=6MO;COUNT=1',
  ])('refuses %j at once', rule => {
    const started = Date.now();
    expect(() => expandOccurrences(rule, first, now)).toThrow(/rrule: /);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('expands rules of every frequency without filters within the limits', () => {
    expect(
      expandOccurrences('FREQ=WEEKLY;INTERVAL=2;BYDAY=MO;COUNT=3', first, now),
    ).toHaveLength(3);
    // The 30th of each month but February.
    expect(expandOccurrences('FREQ=MONTHLY;COUNT=11', first, now)).toHaveLength(
      11,
    );
    expect(() => expandOccurrences('FREQ=YEARLY;COUNT=2', first, now)).toThrow(
      /within 365 days/,
    );
  });
});

describe('endingAtLastOccurrence', () => {
  const starts = (rule: string, from = first) =>
    expandOccurrences(rule, from, now).map(o => o.start.toISOString());

  it('replaces COUNT by UNTIL the last start', () => {
    const rule = 'RRULE:FREQ=WEEKLY;BYDAY=MO,WE;COUNT=4';
    const occurrences = expandOccurrences(rule, first, now);
    const bounded = endingAtLastOccurrence(
      rule,
      occurrences[occurrences.length - 1].start,
    );
    expect(bounded).toBe('FREQ=WEEKLY;BYDAY=MO,WE;UNTIL=20261209T090000Z');
    expect(starts(bounded)).toEqual(starts(rule));
  });

  it('expands from a later occurrence to the remaining ones only', () => {
    const bounded = endingAtLastOccurrence(
      'FREQ=DAILY;COUNT=5',
      new Date('2026-12-04T09:00:00.000Z'),
    );
    const third = {
      start: new Date('2026-12-02T09:00:00.000Z'),
      end: new Date('2026-12-02T11:00:00.000Z'),
    };
    expect(starts(bounded, third)).toEqual([
      '2026-12-02T09:00:00.000Z',
      '2026-12-03T09:00:00.000Z',
      '2026-12-04T09:00:00.000Z',
    ]);
  });

  it('replaces an earlier UNTIL and keeps a start with milliseconds', () => {
    const withMs = {
      start: new Date('2026-11-30T09:00:00.500Z'),
      end: new Date('2026-11-30T11:00:00.000Z'),
    };
    const rule = 'FREQ=DAILY;UNTIL=20261202T235959Z';
    const occurrences = expandOccurrences(rule, withMs, now);
    const bounded = endingAtLastOccurrence(
      rule,
      occurrences[occurrences.length - 1].start,
    );
    expect(bounded).toBe('FREQ=DAILY;UNTIL=20261202T090001Z');
    expect(starts(bounded, withMs)).toEqual(starts(rule, withMs));
  });
});
