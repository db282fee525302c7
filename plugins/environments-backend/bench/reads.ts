import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import autocannon from 'autocannon';
import { Knex } from 'knex';
import { AddressInfo } from 'node:net';
import { syncEnvironments } from '../src/database/environmentsStore';
import { environmentsPlugin } from '../src/plugin';
import { BenchDatabase } from './databases';
import { profiled, ProfileSummary } from './profile';
import { percentiles } from './stats';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const ENVIRONMENTS = 500;
/** Length of every seeded booking; they follow each other without gaps. */
const BOOKING_HOURS = 4;
/** Row 3's target: the availability search's p95. */
export const AVAILABILITY_TARGET_MS = 100;

/** One statement a request ran, timed by the database itself (`EXPLAIN ANALYZE`). */
export interface StatementTiming {
  sql: string;
  rows: number;
  executionMs: number;
}

/**
 * Runs `work`, records the statements it sends, and runs each SELECT again under `EXPLAIN
 * ANALYZE` on PostgreSQL: how much of a request's time the database spends, and on what.
 */
async function explainStatements(
  knex: Knex,
  work: () => Promise<void>,
): Promise<StatementTiming[]> {
  const sent: Array<{ sql: string; bindings: unknown[] }> = [];
  const onQuery = (query: { sql: string; bindings?: unknown[] }) => {
    sent.push({ sql: query.sql, bindings: query.bindings ?? [] });
  };
  knex.on('query', onQuery);
  try {
    await work();
  } finally {
    knex.off('query', onQuery);
  }
  // knex's `query` event carries the driver's own text ($1, $2, ...): run it on a raw
  // connection rather than through knex.raw, which would read `?` placeholders.
  const connection = await knex.client.acquireConnection();
  try {
    const timings: StatementTiming[] = [];
    for (const { sql, bindings } of sent) {
      if (!/^\s*select/i.test(sql)) continue;
      const result = await connection.query(
        `EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`,
        bindings,
      );
      const [explained] = result.rows[0]['QUERY PLAN'];
      timings.push({
        sql: sql.replace(/\s+/g, ' ').replace(/\$\d+(, \$\d+)+/g, '…'),
        rows: explained.Plan['Actual Rows'],
        executionMs: explained['Execution Time'],
      });
    }
    return timings;
  } finally {
    await knex.client.releaseConnection(connection);
  }
}

export interface ReadRow {
  database: string;
  bookings: number;
  timelineApi: ReturnType<typeof percentiles>;
  timelineRaw: ReturnType<typeof percentiles>;
  timelineRatio: number;
  /** Row 3, when asked for. */
  availability?: {
    /** One user searching at a time. */
    oneClient: ReturnType<typeof percentiles>;
    /** Eight searching at once, as for the timeline. */
    eightClients: ReturnType<typeof percentiles>;
    /** Where the search spends its time, when it misses its target. */
    profile?: ProfileSummary;
    /** The database's side of one search, statement by statement (PostgreSQL only). */
    statements?: StatementTiming[];
  };
  plan?: string;
}

/** Bench environment `i`: a test-tier Resource, as rows 1 to 3 and 7 book and read them. */
export function benchEnvironment(i: number): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: `bench-${i}`,
      namespace: 'default',
      annotations: { 'tem.dev/tier': 'test' },
    },
    spec: { type: 'environment', owner: 'group:default/platform-team' },
  };
}

/**
 * Seeds `bookings` back-to-back bookings over 500 environments: history up to now, and each
 * environment booked into the future for (its index mod 20) days, so some are free soon and
 * others not; or, with `futureBookings`, that many ahead for every environment, so the coming
 * fortnight holds the same bookings whatever the table's size. One SQL statement per database.
 */
async function seed(
  db: BenchDatabase,
  bookings: number,
  now: number,
  futureBookings?: number,
) {
  const perEnvironment = Math.ceil(bookings / ENVIRONMENTS);
  // How far ahead environment `e`'s bookings reach, in ms, as SQL.
  const aheadSql = (e: string) =>
    futureBookings === undefined
      ? `CAST(${e} % 20 AS BIGINT) * ${DAY}`
      : `${futureBookings * BOOKING_HOURS * HOUR}`;
  const { knex } = db;
  // The environments' own rows, as the catalog sync writes them.
  await knex.transaction(tx =>
    syncEnvironments(
      tx,
      Array.from({ length: ENVIRONMENTS }, (_, i) => ({
        entityRef: `resource:default/bench-${i}`,
        tier: 'test',
        bookable: true,
        capacity: 1,
      })),
      new Date(now),
    ),
  );
  const span = perEnvironment * BOOKING_HOURS * HOUR;
  if (db.id === 'PostgreSQL 15') {
    await knex.raw(
      `INSERT INTO bookings (id, environment_ref, requester_ref, title, purpose, starts_at, ends_at,
         status, original_ends_at, extension_count, created_at, updated_at)
       SELECT md5(e::text || '-' || s::text), 'resource:default/bench-' || e, 'user:default/seed',
         'Seeded', 'testing', t.starts, t.starts + interval '${BOOKING_HOURS} hours',
         CASE WHEN t.starts + interval '${BOOKING_HOURS} hours' <= to_timestamp(?::double precision / 1000)
           THEN 'expired' ELSE 'approved' END,
         t.starts + interval '${BOOKING_HOURS} hours', 0, t.starts, t.starts
       FROM generate_series(0, ${ENVIRONMENTS - 1}) AS e, generate_series(0, ${
        perEnvironment - 1
      }) AS s,
         LATERAL (SELECT to_timestamp((?::bigint + ${aheadSql(
           'e',
         )} - ${span} + s::bigint * ${
        BOOKING_HOURS * HOUR
      })::double precision / 1000) AS starts) AS t`,
      [now, now],
    );
    await knex.raw('ANALYZE bookings');
    return;
  }
  await knex.raw(
    `WITH RECURSIVE n(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM n WHERE x < ?)
     INSERT INTO bookings (id, environment_ref, requester_ref, title, purpose, starts_at, ends_at,
       status, original_ends_at, extension_count, created_at, updated_at)
     SELECT printf('seed-%08d', x), 'resource:default/bench-' || (x % ${ENVIRONMENTS}), 'user:default/seed',
       'Seeded', 'testing', st, st + ${BOOKING_HOURS * HOUR},
       CASE WHEN st + ${
         BOOKING_HOURS * HOUR
       } <= ? THEN 'expired' ELSE 'approved' END,
       st + ${BOOKING_HOURS * HOUR}, 0, st, st
     FROM (SELECT x, ? + ${aheadSql(
       `(x % ${ENVIRONMENTS})`,
     )} - ${span} + (x / ${ENVIRONMENTS}) * ${
      BOOKING_HOURS * HOUR
    } AS st FROM n)`,
    [perEnvironment * ENVIRONMENTS - 1, now, now],
  );
  await knex.raw('ANALYZE');
}

async function load(
  url: string,
  headers: Record<string, string>,
  seconds: number,
  connections = 8,
) {
  const latencies: number[] = [];
  await new Promise<void>((resolve, reject) => {
    const instance = autocannon(
      { url, connections, duration: seconds, headers },
      error => (error ? reject(error) : resolve()),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode !== 200)
        reject(new Error(`${url} answered ${statusCode}`));
      latencies.push(responseTime);
    });
  });
  return percentiles(latencies);
}

/**
 * Rows 2 and 3: the Environments page's timeline read (a 14-day window of bookings) through the
 * API against the same SQL run directly, and the availability search ("free test environments
 * for 3 days in the next 2 weeks"), over 500 environments and `bookings` bookings.
 */
export async function benchReads(
  db: BenchDatabase,
  options: {
    bookings: number;
    seconds: number;
    availability: boolean;
    futureBookings?: number;
  },
): Promise<ReadRow> {
  const now = Math.floor(Date.now() / HOUR) * HOUR;
  await seed(db, options.bookings, now, options.futureBookings);
  const backend = await startTestBackend({
    features: [
      environmentsPlugin,
      catalogServiceMock.factory({
        entities: Array.from({ length: ENVIRONMENTS }, (_, i) =>
          benchEnvironment(i),
        ),
      }),
      mockServices.database.factory({ knex: db.knex }),
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
      mockServices.rootConfig.factory({ data: {} }),
    ],
  });
  try {
    const base = `http://127.0.0.1:${
      (backend.server.address() as AddressInfo).port
    }/api/environments`;
    const headers = {
      authorization: mockCredentials.user.header('user:default/bench'),
    };
    const from = new Date(now).toISOString();
    const to = new Date(now + 14 * DAY).toISOString();
    const window = new URLSearchParams({
      from,
      to,
      status: 'approved,pending',
      limit: '500',
    });
    const searchAvailability = async (url: string) => {
      const oneClient = await load(url, headers, options.seconds, 1);
      const eightClients = await load(url, headers, options.seconds);
      const profile =
        oneClient.p95 > AVAILABILITY_TARGET_MS
          ? await profiled(`availability-${db.id}`, async () => {
              await load(url, headers, Math.min(3, options.seconds), 1);
            })
          : undefined;
      let statements: StatementTiming[] | undefined;
      if (profile && db.id === 'PostgreSQL 15') {
        // Let the profiled load's last requests finish first: only this one is recorded.
        await new Promise(resolve => setTimeout(resolve, 1000));
        statements = await explainStatements(db.knex, async () => {
          await fetch(url, { headers });
        });
      }
      return { oneClient, eightClients, profile, statements };
    };
    const rawQuery = () =>
      db
        .knex('bookings')
        .where('ends_at', '>', new Date(from))
        .where('starts_at', '<', new Date(to))
        .whereIn('status', ['approved', 'pending'])
        .orderBy('starts_at')
        .orderBy('id')
        .limit(500);
    // Warm-up of both paths.
    await load(`${base}/bookings?${window}`, headers, 1);
    const timelineApi = await load(
      `${base}/bookings?${window}`,
      headers,
      options.seconds,
    );
    const rawLatencies: number[] = [];
    const deadline = performance.now() + options.seconds * 1000;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (performance.now() < deadline) {
          const started = performance.now();
          await rawQuery();
          rawLatencies.push(performance.now() - started);
        }
      }),
    );
    const timelineRaw = percentiles(rawLatencies);
    const availability = options.availability
      ? await searchAvailability(
          `${base}/availability?${new URLSearchParams({
            durationHours: '72',
            from,
            to,
            tier: 'test',
          })}`,
        )
      : undefined;
    let plan: string | undefined;
    if (db.id === 'PostgreSQL 15') {
      const explained = await db.knex.raw(`EXPLAIN ${rawQuery().toString()}`);
      plan = (explained.rows as Array<{ 'QUERY PLAN': string }>)
        .map(row => row['QUERY PLAN'])
        .join('\n');
    }
    return {
      database: db.id,
      bookings: Math.ceil(options.bookings / ENVIRONMENTS) * ENVIRONMENTS,
      timelineApi,
      timelineRaw,
      timelineRatio: timelineApi.p95 / timelineRaw.p95,
      availability,
      plan,
    };
  } finally {
    await backend.stop();
  }
}
