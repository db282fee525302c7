import { expandOccurrences, MAX_OCCURRENCES } from './recurrence';

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
  ])('refuses %j', (rule, message) => {
    expect(() => expandOccurrences(rule, first, now)).toThrow(message);
  });
});
