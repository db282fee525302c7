/** The value of a `datetime-local` input for a date, in the browser's time zone. */
export function toLocalInput(date: Date): string {
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

/** A `datetime-local` value (browser time zone) as an ISO 8601 UTC string. */
export function fromLocalInput(value: string): string {
  const date = new Date(value);
  // Leave a malformed value as typed: the backend answers with the field and the reason.
  return Number.isNaN(date.getTime()) ? value : date.toISOString();
}

/** A short, locale-formatted date and time in the browser's time zone. */
export function formatDateTime(iso: string): string {
  return new Date(iso).toLocaleString(undefined, {
    dateStyle: 'medium',
    timeStyle: 'short',
  });
}

/** How long ago, in its largest unit: `just now`, `5 min ago`, `3 h ago`, `2 d ago`. */
export function formatAge(iso: string, now = Date.now()): string {
  const minutes = Math.floor((now - Date.parse(iso)) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  if (minutes < 48 * 60) return `${Math.floor(minutes / 60)} h ago`;
  return `${Math.floor(minutes / 1440)} d ago`;
}

/** `6m 30s`, `1h 5m`: how long something took. */
export function formatRunDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${seconds % 60}s`;
  return `${Math.floor(minutes / 60)}h ${minutes % 60}m`;
}
