import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import {
  createTestDatabases,
  supportedDatabases,
  TEST_DATABASE_IDS,
} from '../__testUtils__/databases';
import { insertBooking, listBookings } from '../database/bookingsStore';
import { lockEnvironment } from '../database/environmentsStore';
import { migrationsDir } from '../database/migrations';
import { EMPTY_POLICY_SET } from '../domain/policies';
import { BookingsService } from './BookingsService';
import { Notifier } from './Notifier';
import { WaitlistService } from './WaitlistService';

jest.setTimeout(60_000);

const MINUTE = 60_000;
const t0 = new Date('2026-11-27T09:00:00.000Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * MINUTE);
const environmentRef = 'resource:default/qa-1';

describe('waitlist holds and end reminders', () => {
  const databases = createTestDatabases();

  it('runs on PostgreSQL 15 and SQLite', () => {
    expect(supportedDatabases(databases)).toEqual(TEST_DATABASE_IDS);
  });

  it.each(databases.eachSupportedId())(
    'passes a lapsed hold to the next waiter and reminds each holder once, on %p',
    async databaseId => {
      const db: Knex = await databases.init(databaseId);
      await db.migrate.latest({ directory: migrationsDir });
      const sent: string[] = [];
      const notifier = new Notifier({
        notifications: {
          send: async (n: any) =>
            void sent.push(`${n.recipients.entityRef}: ${n.payload.title}`),
        },
        logger: mockServices.logger.mock(),
      });
      const waitlist = new WaitlistService({ db, notifier, holdMinutes: 30 });
      const bookings = new BookingsService({
        db,
        catalog: {} as any,
        permissions: mockServices.permissions(),
        userInfo: mockServices.userInfo(),
        policies: { inForce: async () => EMPTY_POLICY_SET },
        waitlist,
        notifier,
        logger: mockServices.logger.mock(),
        reminderMinutes: 60,
      });

      await db.transaction(async tx => {
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
        await insertBooking(
          tx,
          {
            id: 'held',
            environmentRef,
            requesterRef: 'user:default/alice',
            title: 'Soak test',
            purpose: 'testing',
            start: at(60),
            end: at(120),
            status: 'approved',
          },
          t0,
        );
      });
      const wanted = {
        environmentRef,
        title: 'Waiting',
        purpose: 'testing' as const,
        start: at(60),
        end: at(120),
      };
      const bob = await waitlist.join(
        wanted,
        mockCredentials.user('user:default/bob'),
        t0,
      );
      const carol = await waitlist.join(
        wanted,
        mockCredentials.user('user:default/carol'),
        at(1),
      );
      expect([bob.position, carol.position]).toEqual([1, 2]);

      // Nothing frees up while the booking holds the slot.
      expect(await waitlist.offerFreedSlots(environmentRef, t0)).toEqual([]);
      // A cancellation whose hand-off was missed: the lifecycle task offers the slot anyway.
      await db('bookings').where('id', 'held').update({ status: 'cancelled' });
      expect(await waitlist.lapseHolds(t0)).toBe(0);
      expect(
        (await waitlist.list({ environmentRef })).map(e => [
          e.requesterRef,
          e.holdExpiresAt,
        ]),
      ).toEqual([
        ['user:default/bob', at(30).toISOString()],
        ['user:default/carol', undefined],
      ]);

      // Bob lets the hold run out; it passes to carol.
      expect(await waitlist.lapseHolds(at(29))).toBe(0);
      expect(await waitlist.lapseHolds(at(31))).toBe(1);
      const states = await waitlist.list({ environmentRef });
      expect(states.map(e => [e.requesterRef, e.status])).toEqual([
        ['user:default/bob', 'lapsed'],
        ['user:default/carol', 'offered'],
      ]);
      expect(sent).toEqual([
        `user:default/bob: ${environmentRef} is free for you`,
        `user:default/carol: ${environmentRef} is free for you`,
      ]);

      // End reminders: once per booking, only within the reminder window.
      await db.transaction(tx =>
        insertBooking(
          tx,
          {
            id: 'ending',
            environmentRef,
            requesterRef: 'user:default/dave',
            title: 'Demo',
            purpose: 'demo',
            start: at(200),
            end: at(300),
            status: 'approved',
          },
          t0,
        ),
      );
      sent.length = 0;
      expect(await bookings.sendReminders(at(230))).toBe(0);
      expect(await bookings.sendReminders(at(250))).toBe(1);
      expect(await bookings.sendReminders(at(260))).toBe(0);
      expect(sent).toEqual([
        `user:default/dave: Your booking of ${environmentRef} ends soon`,
      ]);
      expect(
        (await listBookings(db, { environmentRef, limit: 10 })).length,
      ).toBe(2);
      await db.destroy();
    },
  );
});
