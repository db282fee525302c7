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
});
