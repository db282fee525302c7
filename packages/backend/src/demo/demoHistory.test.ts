import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { TestDatabases } from '@backstage/backend-test-utils';
import { writeDemoHistory } from './demoHistory';

jest.setTimeout(60_000);

const migrations = resolvePackagePath(
  '@internal/plugin-environments-backend',
  'migrations',
);
const NOW = new Date('2026-11-27T12:00:00.000Z');

describe('writeDemoHistory', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

  it('waits for the catalog sync, then writes 14 days of history once', async () => {
    const knex = await databases.init('SQLITE_3');
    await knex.migrate.latest({ directory: migrations });
    expect(await writeDemoHistory(knex, NOW)).toBe(false);

    await knex('environments').insert(
      ['checkout-qa-2', 'prod-eu'].map(name => ({
        entity_ref: `resource:default/${name}`,
        tier: name === 'prod-eu' ? 'prod' : 'test',
        bookable: name !== 'prod-eu',
        capacity: 1,
        status: 'available',
        status_changed_at: NOW,
        first_seen_at: NOW,
        last_seen_at: NOW,
      })),
    );
    expect(await writeDemoHistory(knex, NOW)).toBe(true);
    const count = async (table: string) =>
      Number((await knex(table).count({ n: '*' }))[0].n);
    const written = {
      probes: await count('health_checks'),
      bookings: await count('bookings'),
      refusals: await count('booking_refusals'),
    };
    // A probe every 15 minutes for 14 days, per environment.
    expect(written.probes).toBe(2 * 14 * 96);
    // Only the bookable environment is booked, four days in five: all but days 4 and 9.
    expect(written.bookings).toBe(12);
    expect(written.refusals).toBeGreaterThan(0);
    // Checkout QA 2 is down part of every third day.
    expect(
      await knex('health_checks')
        .where('environment_ref', 'resource:default/checkout-qa-2')
        .where('ok', false)
        .count({ n: '*' }),
    ).not.toEqual([{ n: 0 }]);

    expect(await writeDemoHistory(knex, NOW)).toBe(true);
    expect(await count('bookings')).toBe(written.bookings);
    await knex.destroy();
  });
});
