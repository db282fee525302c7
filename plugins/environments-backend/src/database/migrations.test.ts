import fs from 'node:fs';
import { Knex } from 'knex';
import { connectDatabase, migrationsDir } from './migrations';
import {
  createTestDatabases,
  supportedDatabases,
  TEST_DATABASE_IDS,
} from '../__testUtils__/databases';

jest.setTimeout(60_000);

const migrationFiles = fs
  .readdirSync(migrationsDir)
  .filter(file => file.endsWith('.js'))
  .sort();

async function migrateUpOnce(knex: Knex) {
  await knex.migrate.up({ directory: migrationsDir });
}

async function migrateDownOnce(knex: Knex) {
  await knex.migrate.down({ directory: migrationsDir });
}

async function tableNames(knex: Knex): Promise<string[]> {
  const tables = ['environments'];
  const present = await Promise.all(tables.map(t => knex.schema.hasTable(t)));
  return tables.filter((_, i) => present[i]);
}

describe('migrations', () => {
  const databases = createTestDatabases();
  it('runs on PostgreSQL 15 and SQLite', () => {
    expect(supportedDatabases(databases)).toEqual(TEST_DATABASE_IDS);
  });

  it('have 14-digit timestamp names and are type-checked', () => {
    expect(migrationFiles.length).toBeGreaterThan(0);
    for (const file of migrationFiles) {
      expect(file).toMatch(/^\d{14}_[a-z0-9_]+\.js$/);
      expect(fs.readFileSync(`${migrationsDir}/${file}`, 'utf8')).toMatch(
        /^\/\/ @ts-check/,
      );
    }
  });

  it.each(databases.eachSupportedId())(
    'go up and down one step at a time with data, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);

      // 20261127090000_environments
      await migrateUpOnce(knex);
      const now = new Date('2026-11-27T09:00:00.000Z');
      await knex('environments').insert({
        entity_ref: 'resource:default/qa-1',
        title: 'QA 1',
        tier: 'test',
        owner_ref: 'group:default/platform-team',
        system_ref: null,
        bookable: true,
        capacity: 2,
        status: 'maintenance',
        status_changed_at: now,
        first_seen_at: now,
        last_seen_at: now,
        removed_at: null,
      });
      const [row] = await knex('environments').select();
      expect(row).toMatchObject({
        entity_ref: 'resource:default/qa-1',
        status: 'maintenance',
      });
      expect(Number(row.capacity)).toBe(2);
      expect(Boolean(row.bookable)).toBe(true);

      await migrateDownOnce(knex);
      expect(await tableNames(knex)).toEqual([]);

      // Back up to the latest schema: every step applies cleanly after a full rollback.
      for (const _ of migrationFiles) {
        await migrateUpOnce(knex);
      }
      expect(await tableNames(knex)).toEqual(['environments']);
      await knex.destroy();
    },
  );
});

describe('connectDatabase', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'migrates to the latest schema, unless migrations are skipped, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const database = (skip: boolean) => ({
        getClient: async () => knex,
        migrations: { skip },
      });

      await connectDatabase(database(true));
      expect(await tableNames(knex)).toEqual([]);

      await connectDatabase(database(false));
      expect(await tableNames(knex)).toEqual(['environments']);
      await knex.destroy();
    },
  );
});
