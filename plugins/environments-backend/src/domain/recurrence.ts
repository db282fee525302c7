import { InputError } from '@backstage/errors';
import { RRule } from 'rrule';
import { BOOKING_LIMITS } from './bookings';
import { icalTime } from './ical';

/** Most occurrences one series may have; longer series are refused. */
export const MAX_OCCURRENCES = 100;

/**
 * The rule parts a series may use. With these every period of the rule yields an occurrence, so
 * the advance limit stops the expansion early. Other filters can match no date at all
 * (`FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30`), and rrule then walks period by period up to the year
 * 9999: seconds of CPU for one request. BYDAY is safe in weekly rules only, since every week has
 * every weekday (`FREQ=DAILY;INTERVAL=7;BYDAY=TU` from a Monday never matches).
 */
const SUPPORTED_PARTS = ['FREQ', 'INTERVAL', 'COUNT', 'UNTIL', 'WKST', 'BYDAY'];

/**
 * The occurrences `[start, end)` of a recurring booking whose first occurrence is `first`, by
 * an RFC 5545 RRULE (e.g. `FREQ=WEEKLY;BYDAY=MO,WE;COUNT=6`). The rule is expanded in UTC and
 * must be bounded by COUNT or UNTIL; every occurrence must start within the advance limit.
 */
export function expandOccurrences(
  rule: unknown,
  first: { start: Date; end: Date },
  now: Date,
): Array<{ start: Date; end: Date }> {
  if (typeof rule !== 'string' || !rule.trim() || rule.length > 1024) {
    throw new InputError(
      'rrule: must be an RFC 5545 RRULE of at most 1024 characters',
    );
  }
  const text = rule.trim().replace(/^RRULE:/i, '');
  let options;
  try {
    options = RRule.parseString(text);
  } catch (error) {
    throw new InputError(`rrule: ${(error as Error).message}`);
  }
  if (options.freq === undefined)
    throw new InputError('rrule: FREQ is required');
  const unsupported = text
    .split(';')
    .map(part => part.split('=')[0].trim().toUpperCase())
    .filter(name => !SUPPORTED_PARTS.includes(name));
  if (unsupported.length > 0) {
    throw new InputError(
      `rrule: ${unsupported.join(
        ', ',
      )} not supported; use FREQ, INTERVAL, COUNT, UNTIL, WKST and, for a weekly rule, BYDAY`,
    );
  }
  if (options.byweekday && options.freq !== RRule.WEEKLY) {
    throw new InputError('rrule: BYDAY is supported in weekly rules only');
  }
  if (options.count === undefined && !options.until) {
    throw new InputError('rrule: must end, with COUNT or UNTIL');
  }
  if (options.dtstart || options.tzid) {
    throw new InputError(
      'rrule: give the first occurrence in start and end, not DTSTART',
    );
  }
  const latestStart = now.getTime() + BOOKING_LIMITS.maxAdvanceMs;
  let tooFarAhead = false;
  // The iterator bounds the expansion, so a huge COUNT costs no more than the limits allow.
  const starts = new RRule({ ...options, dtstart: first.start }).all(
    (date, index) => {
      if (date.getTime() > latestStart) tooFarAhead = true;
      return !tooFarAhead && index <= MAX_OCCURRENCES;
    },
  );
  if (starts.length > MAX_OCCURRENCES) {
    throw new InputError(
      `rrule: a series may have at most ${MAX_OCCURRENCES} occurrences`,
    );
  }
  if (tooFarAhead) {
    throw new InputError(
      'rrule: every occurrence must start within 365 days from now',
    );
  }
  if (starts.length === 0)
    throw new InputError('rrule: the rule yields no occurrence');
  const duration = first.end.getTime() - first.start.getTime();
  return starts.map(start => ({
    start,
    end: new Date(start.getTime() + duration),
  }));
}

/**
 * A valid rule (see `expandOccurrences`) bounded by UNTIL its last occurrence's start instead of
 * COUNT, so that expanding it again from any later occurrence yields the remaining ones and no
 * more: `FREQ=WEEKLY;COUNT=3` from Monday 30 November 09:00 becomes
 * `FREQ=WEEKLY;UNTIL=20261214T090000Z`. UNTIL has whole seconds; it is rounded up, and no
 * occurrence follows within a second.
 */
export function endingAtLastOccurrence(rule: string, lastStart: Date): string {
  const parts = rule
    .trim()
    .replace(/^RRULE:/i, '')
    .split(';')
    .map(part => part.trim())
    .filter(part => part && !/^(COUNT|UNTIL)=/i.test(part));
  const until = new Date(Math.ceil(lastStart.getTime() / 1000) * 1000);
  return [...parts, `UNTIL=${icalTime(until)}`].join(';');
}
