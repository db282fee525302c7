/** Timestamps come back as Date from PostgreSQL and as the stored epoch milliseconds from SQLite. */
export function toDate(value: Date | string | number): Date {
  return value instanceof Date ? value : new Date(value);
}
