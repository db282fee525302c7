import { fullStretches, Interval } from '@internal/plugin-environments-common';
import { Knex } from 'knex';
import { toDate } from '../database/dates';

/**
 * Checks the booking rules over the whole `bookings` table, whatever path the rows took there:
 * no booking ends before it starts, no instant has more approved bookings of an environment than
 * its capacity, and no component slot is held twice at once. Returns one line per violation, so
 * a test can `expect(...).toEqual([])` and see what broke.
 */
export async function bookingInvariantViolations(
  knex: Knex,
): Promise<string[]> {
  const rows: Array<{
    id: string;
    environment_ref: string;
    component_ref: string | null;
    starts_at: Date | string | number;
    ends_at: Date | string | number;
    capacity: number | null;
  }> = await knex('bookings')
    .leftJoin(
      'environments',
      'environments.entity_ref',
      'bookings.environment_ref',
    )
    .where('bookings.status', 'approved')
    .select(
      'bookings.id',
      'bookings.environment_ref',
      'bookings.component_ref',
      'bookings.starts_at',
      'bookings.ends_at',
      'environments.capacity',
    );

  const violations: string[] = [];
  const held = new Map<string, { capacity: number; intervals: Interval[] }>();
  const add = (key: string, capacity: number, interval: Interval) => {
    const group = held.get(key) ?? { capacity, intervals: [] };
    group.intervals.push(interval);
    held.set(key, group);
  };
  for (const row of rows) {
    const interval = {
      start: toDate(row.starts_at).getTime(),
      end: toDate(row.ends_at).getTime(),
    };
    if (!(interval.end > interval.start)) {
      violations.push(`booking ${row.id} does not end after it starts`);
    }
    add(row.environment_ref, row.capacity ?? 1, interval);
    if (row.component_ref) {
      add(`${row.environment_ref} slot ${row.component_ref}`, 1, interval);
    }
  }
  for (const [key, { capacity, intervals }] of held) {
    // Stretches where capacity + 1 bookings are active at once: there must be none.
    for (const over of fullStretches(intervals, capacity + 1)) {
      violations.push(
        `${key} holds more than ${capacity} from ${new Date(
          over.start,
        ).toISOString()} to ${new Date(over.end).toISOString()}`,
      );
    }
  }
  return violations;
}
