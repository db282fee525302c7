import { Knex } from 'knex';
import {
  createTestDatabases,
  supportedDatabases,
  TEST_DATABASE_IDS,
} from '../__testUtils__/databases';
import {
  expireEndedBookings,
  insertBooking,
  listBookings,
  listCurrentAndUpcomingBookings,
  listHeldIntervals,
  listHoldingBookings,
} from './bookingsStore';
import { lockEnvironment } from './environmentsStore';
import { migrationsDir } from './migrations';

jest.setTimeout(60_000);

const HOUR = 3600_000;
const t0 = new Date('2026-11-27T09:00:00.000Z');
const at = (hours: number) => new Date(t0.getTime() + hours * HOUR);

describe('bookingsStore', () => {
  const databases = createTestDatabases();

  it('runs on PostgreSQL 15 and SQLite', () => {
    expect(supportedDatabases(databases)).toEqual(TEST_DATABASE_IDS);
  });

  it.each(databases.eachSupportedId())(
    'stores, finds and expires bookings, on %p',
    async databaseId => {
      const knex: Knex = await databases.init(databaseId);
      await knex.migrate.latest({ directory: migrationsDir });
      const environmentRef = 'resource:default/qa-1';
      await knex.transaction(async tx => {
        await lockEnvironment(
          tx,
          {
            entityRef: environmentRef,
            tier: 'test',
            bookable: true,
            capacity: 1,
          },
          t0,
        );
        for (const [id, start, end] of [
          ['past', -3, -1],
          ['running', -1, 1],
          ['next', 1, 2],
        ] as const) {
          await insertBooking(
            tx,
            {
              id,
              environmentRef,
              requesterRef: 'user:default/alice',
              title: id,
              purpose: 'testing',
              start: at(start),
              end: at(end),
              status: 'approved',
            },
            t0,
          );
        }
      });

      // Half-open: a booking ending exactly at `from` does not hold the environment then.
      const holding = await listHoldingBookings(
        knex,
        [environmentRef],
        at(-1),
        at(1),
      );
      expect(holding.map(b => b.id)).toEqual(['running']);
      expect(holding[0]).toMatchObject({
        start: at(-1),
        end: at(1),
        extensionCount: 0,
      });

      expect(await expireEndedBookings(knex, t0)).toBe(1);
      expect(await expireEndedBookings(knex, t0)).toBe(0);
      const all = await listBookings(knex, { environmentRef, limit: 10 });
      expect(all.map(b => [b.id, b.status])).toEqual([
        ['past', 'expired'],
        ['running', 'approved'],
        ['next', 'approved'],
      ]);
      expect(
        (
          await listBookings(knex, {
            from: at(0),
            to: at(1.5),
            statuses: ['approved'],
            limit: 10,
          })
        ).map(b => b.id),
      ).toEqual(['running', 'next']);
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'reads what environment cards and the free-slot search need, on %p',
    async databaseId => {
      const knex: Knex = await databases.init(databaseId);
      await knex.migrate.latest({ directory: migrationsDir });
      const shared = 'resource:default/shared';
      const quiet = 'resource:default/quiet';
      const bookings: Array<[string, string, number, number, string]> = [
        // Two current bookings of a capacity-2 environment, then eight upcoming ones.
        ['now-a', shared, -2, 1, 'approved'],
        ['now-b', shared, -1, 2, 'pending'],
        ...Array.from(
          { length: 8 },
          (_, i): [string, string, number, number, string] => [
            `next-${i}`,
            shared,
            3 + i,
            4 + i,
            'approved',
          ],
        ),
        ['cancelled', shared, 1, 2, 'cancelled'],
        ['beyond-horizon', quiet, 400, 401, 'approved'],
        ['quiet-next', quiet, 5, 6, 'pending'],
      ];
      await knex.transaction(async tx => {
        for (const ref of [shared, quiet]) {
          await lockEnvironment(
            tx,
            { entityRef: ref, tier: 'test', bookable: true, capacity: 2 },
            t0,
          );
        }
        for (const [id, environmentRef, start, end, status] of bookings) {
          await insertBooking(
            tx,
            {
              id,
              environmentRef,
              requesterRef: 'user:default/alice',
              title: id,
              purpose: 'testing',
              start: at(start),
              end: at(end),
              status: status as 'approved',
            },
            t0,
          );
        }
      });

      const shown = await listCurrentAndUpcomingBookings(
        knex,
        [shared, quiet],
        t0,
        at(14 * 24),
        5,
      );
      expect(shown.map(b => b.id).sort()).toEqual(
        [
          'now-a',
          'now-b',
          'next-0',
          'next-1',
          'next-2',
          'next-3',
          'next-4',
          'quiet-next',
        ].sort(),
      );

      // Only approved bookings hold; the intervals come back as epoch milliseconds.
      const held = await listHeldIntervals(knex, [shared, quiet], at(0), at(4));
      expect(held.sort((a, b) => a.start - b.start || a.end - b.end)).toEqual([
        {
          environmentRef: shared,
          start: at(-2).getTime(),
          end: at(1).getTime(),
        },
        {
          environmentRef: shared,
          start: at(3).getTime(),
          end: at(4).getTime(),
        },
      ]);
      await knex.destroy();
    },
  );
});
