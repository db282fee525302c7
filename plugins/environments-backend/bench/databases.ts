import knexFactory, { Knex } from 'knex';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { migrationsDir } from '../src/database/migrations';

export type BenchDatabaseId = 'PostgreSQL 15' | 'SQLite';

export interface BenchDatabase {
  id: BenchDatabaseId;
  knex: Knex;
  drop(): Promise<void>;
}

const POSTGRES =
  process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING ??
  'postgresql://postgres@127.0.0.1:5432';

/** A fresh, migrated database: a new PostgreSQL database, or a new SQLite file. */
export async function freshDatabase(
  id: BenchDatabaseId,
): Promise<BenchDatabase> {
  if (id === 'PostgreSQL 15') {
    const name = `tem_bench_${process.pid}`;
    const admin = knexFactory({ client: 'pg', connection: POSTGRES });
    await admin.raw(`DROP DATABASE IF EXISTS ${name}`);
    await admin.raw(`CREATE DATABASE ${name}`);
    const knex = knexFactory({
      client: 'pg',
      connection: Object.assign(new URL(POSTGRES), {
        pathname: `/${name}`,
      }).toString(),
      pool: { min: 0, max: 40 },
    });
    await knex.migrate.latest({ directory: migrationsDir });
    return {
      id,
      knex,
      async drop() {
        await knex.destroy();
        await admin.raw(`DROP DATABASE IF EXISTS ${name}`);
        await admin.destroy();
      },
    };
  }
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tem-bench-'));
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: path.join(dir, 'bench.sqlite') },
    useNullAsDefault: true,
    // One connection, as Backstage configures SQLite: writes are serialised anyway.
    pool: { min: 1, max: 1 },
  });
  await knex.migrate.latest({ directory: migrationsDir });
  return {
    id,
    knex,
    async drop() {
      await knex.destroy();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}
