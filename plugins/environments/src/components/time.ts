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
