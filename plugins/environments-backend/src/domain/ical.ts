import { StoredBooking } from './bookings';

/**
 * An RFC 5545 calendar of bookings, for calendar apps to subscribe to. Times are UTC; text is
 * escaped and lines folded at 75 octets as the RFC requires.
 */
export function toICalendar(
  name: string,
  bookings: StoredBooking[],
  now: Date,
): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Test Environment Manager//Backstage environments plugin//EN',
    'CALSCALE:GREGORIAN',
    `X-WR-CALNAME:${escapeText(name)}`,
    ...bookings.flatMap(booking => [
      'BEGIN:VEVENT',
      `UID:${booking.id}@environments`,
      `DTSTAMP:${icalTime(now)}`,
      `DTSTART:${icalTime(booking.start)}`,
      `DTEND:${icalTime(booking.end)}`,
      `SUMMARY:${escapeText(`${booking.title} (${booking.environmentRef})`)}`,
      `DESCRIPTION:${escapeText(
        [
          `Booked by ${booking.requesterRef}`,
          `Purpose: ${booking.purpose}`,
          booking.reason,
        ]
          .filter(Boolean)
          .join('\n'),
      )}`,
      `STATUS:${booking.status === 'pending' ? 'TENTATIVE' : 'CONFIRMED'}`,
      // Links are checked on the way in; rows stored before that check may hold line breaks.
      ...(booking.externalLink
        ? [`URL:${booking.externalLink.replace(/\p{Cc}/gu, '')}`]
        : []),
      'END:VEVENT',
    ]),
    'END:VCALENDAR',
  ];
  return `${lines.map(fold).join('\r\n')}\r\n`;
}

/** A UTC date-time as RFC 5545 writes it, e.g. `20261201T090000Z` (milliseconds dropped). */
export function icalTime(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

// RFC 5545 text cannot hold control characters; a bare CR would end the content line in some
// readers, so every line break becomes \n and other control characters are dropped.
function escapeText(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n')
    .replace(/(?!\t)\p{Cc}/gu, '');
}

// Content lines longer than 75 octets continue on lines starting with a space.
function fold(line: string): string {
  const bytes = Buffer.from(line, 'utf8');
  if (bytes.length <= 75) return line;
  const parts: string[] = [];
  let current = '';
  for (const char of line) {
    const limit = parts.length === 0 ? 75 : 74;
    if (Buffer.byteLength(current + char, 'utf8') > limit) {
      parts.push(current);
      current = '';
    }
    current += char;
  }
  parts.push(current);
  return parts.join('\r\n ');
}
