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
  listTeamBookings,
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

  it.each(databases.eachSupportedId())(
    "finds a team's bookings now and next among more members than one query takes, on %p",
    async databaseId => {
      const knex: Knex = await databases.init(databaseId);
      await knex.migrate.latest({ directory: migrationsDir });
      const environmentRef = 'resource:default/shared';
      const team = 'group:default/payments-team';
      // 1,200 members: three chunks of members, each also matching the team's own bookings.
      const members = Array.from(
        { length: 1200 },
        (_, i) => `user:default/member-${String(i).padStart(4, '0')}`,
      );
      await knex.transaction(async tx => {
        await lockEnvironment(
          tx,
          {
            entityRef: environmentRef,
            tier: 'test',
            bookable: true,
            capacity: 100,
          },
          t0,
        );
        for (const [id, requesterRef, teamRef, start, end, status] of [
          ['first-chunk-now', members[0], undefined, -1, 1, 'approved'],
          ['last-chunk-now', members[1199], undefined, -2, 2, 'pending'],
          ['for-team-now', 'user:default/outsider', team, 0, 1, 'approved'],
          [
            'outsider-now',
            'user:default/outsider',
            undefined,
            -1,
            1,
            'approved',
          ],
          ['cancelled-now', members[5], undefined, -1, 1, 'cancelled'],
          ['ended', members[5], undefined, -3, 0, 'expired'],
          ['next-3', members[700], undefined, 3, 4, 'approved'],
          ['next-1', members[1100], undefined, 1, 2, 'pending'],
          ['for-team-next-2', 'user:default/outsider', team, 2, 3, 'approved'],
          ['next-4', members[1], undefined, 4, 5, 'approved'],
        ] as const) {
          await insertBooking(
            tx,
            {
              id,
              environmentRef,
              requesterRef,
              teamRef,
              title: id,
              purpose: 'testing',
              start: at(start),
              end: at(end),
              status,
            },
            t0,
          );
        }
      });

      const found = await listTeamBookings(
        knex,
        { requesterRefs: members, teamRefs: [team] },
        t0,
        3,
      );
      // Held at t0 (a booking starting at t0 included, one ending at t0 not), earliest first,
      // each once although every chunk's query matches the team's booking.
      expect(found.current.map(b => b.id)).toEqual([
        'last-chunk-now',
        'first-chunk-now',
        'for-team-now',
      ]);
      // The first three to come over all chunks, not the first three of one chunk.
      expect(found.upcoming.map(b => b.id)).toEqual([
        'next-1',
        'for-team-next-2',
        'next-3',
      ]);

      // A team without members still has the bookings made for it.
      const groupOnly = await listTeamBookings(
        knex,
        { requesterRefs: [], teamRefs: [team] },
        t0,
        3,
      );
      expect(groupOnly.current.map(b => b.id)).toEqual(['for-team-now']);
      expect(groupOnly.upcoming.map(b => b.id)).toEqual(['for-team-next-2']);
      await knex.destroy();
    },
  );
});
