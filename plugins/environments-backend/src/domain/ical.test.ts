import { StoredBooking } from './bookings';
import { toICalendar } from './ical';

const now = new Date('2026-11-27T12:00:00.000Z');
const booking: StoredBooking = {
  id: 'b-1',
  environmentRef: 'resource:default/qa-1',
  requesterRef: 'user:default/alice',
  title: 'Release 42; smoke, then soak',
  purpose: 'testing',
  reason:
    'Line one\nLine two with a very long text that keeps going well past the limit of one line',
  externalLink: 'https://tickets.example.com/REL-42',
  start: new Date('2026-12-01T09:00:00.000Z'),
  end: new Date('2026-12-01T17:30:00.000Z'),
  status: 'pending',
  originalEnd: new Date('2026-12-01T17:30:00.000Z'),
  extensionCount: 0,
  createdAt: now,
  updatedAt: now,
};

describe('toICalendar', () => {
  const text = toICalendar('QA 1', [booking], now);
  const unfolded = text.replace(/\r\n /g, '');

  it('writes one event per booking in UTC with CRLF line ends', () => {
    expect(text.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n')).toBe(true);
    expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(unfolded).toContain('UID:b-1@environments\r\n');
    expect(unfolded).toContain('DTSTART:20261201T090000Z\r\n');
    expect(unfolded).toContain('DTEND:20261201T173000Z\r\n');
    expect(unfolded).toContain('STATUS:TENTATIVE\r\n');
    expect(unfolded).toContain('URL:https://tickets.example.com/REL-42\r\n');
  });

  it('escapes text and folds long lines at 75 octets', () => {
    expect(unfolded).toContain(
      'SUMMARY:Release 42\\; smoke\\, then soak (resource:default/qa-1)',
    );
    expect(unfolded).toContain('Purpose: testing\\nLine one\\nLine two');
    for (const line of text.split('\r\n')) {
      expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    }
  });

  it('keeps line breaks and control characters in user text from starting a property', () => {
    const hostile = toICalendar(
      'QA\r1',
      [
        {
          ...booking,
          title: 'a\rATTENDEE:mailto:evil@example.com',
          reason: 'b\r\nEND:VEVENT\u0000\u001b',
          externalLink: 'https://x.example/\r\nBEGIN:VEVENT',
        },
      ],
      now,
    );
    const lines = hostile.replace(/\r\n /g, '').split('\r\n');
    // Every line is a property (NAME:...) of the calendar, none started by the user's text.
    expect(hostile.replace(/\r\n/g, '')).not.toMatch(/\p{Cc}/u);
    expect(lines.filter(line => /^(ATTENDEE|BEGIN:VEVENT)/.test(line))).toEqual(
      ['BEGIN:VEVENT'],
    );
    expect(lines).toContain('X-WR-CALNAME:QA\\n1');
    expect(lines).toContain('URL:https://x.example/BEGIN:VEVENT');
  });
});
