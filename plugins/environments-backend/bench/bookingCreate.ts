import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import autocannon from 'autocannon';
import { randomUUID } from 'node:crypto';
import { AddressInfo } from 'node:net';
import { insertBooking } from '../src/database/bookingsStore';
import { environmentsPlugin } from '../src/plugin';
import { BenchDatabase } from './databases';
import { benchEnvironment } from './reads';
import { profiled, ProfileSummary } from './profile';
import { medianAndSpread, percentiles } from './stats';

const HOUR = 3600_000;
/** Exclusive environments booked round-robin, so concurrent clients rarely wait on one lock. */
const ENVIRONMENTS = 64;

export interface CreateRow {
  database: string;
  concurrency: number;
  apiPerSecond: number;
  apiSpread: number;
  barePerSecond: number;
  ratio: number;
  api: ReturnType<typeof percentiles>;
  bare: ReturnType<typeof percentiles>;
  insertsPerSecond: number;
  failures: number;
  /** SQL statements per booking (transaction control included): API path and bare. */
  queriesPerCreate?: { api: number; bare: number };
  /** Where the API path spends its time, when this row misses a target. */
  profile?: ProfileSummary;
}

/** Row 1's targets: API throughput against the bare transaction, and p99 at 32 clients. */
export const CREATE_RATIO_TARGET = 0.5;
export const CREATE_P99_TARGET_MS = 50;
export const CREATE_P99_CLIENTS = 32;

export function createTargetsMet(row: CreateRow): boolean {
  return (
    Number(row.ratio.toFixed(2)) >= CREATE_RATIO_TARGET &&
    (row.concurrency !== CREATE_P99_CLIENTS ||
      row.api.p99 <= CREATE_P99_TARGET_MS)
  );
}

/** Every call a slot no booking has: the next hour of the next environment, round-robin. */
function slots() {
  // Beyond the read benchmarks' seeded bookings (at most 20 days ahead), which growth runs share.
  const base = Math.ceil((Date.now() + 30 * 24 * HOUR) / HOUR) * HOUR;
  let n = 0;
  return () => {
    const i = n++;
    const start = base + Math.floor(i / ENVIRONMENTS) * HOUR;
    return {
      environmentRef: `resource:default/bench-${i % ENVIRONMENTS}`,
      start: new Date(start),
      end: new Date(start + HOUR),
    };
  };
}

/** `concurrency` workers running `work` until `seconds` are up; each run's time in ms. */
async function closedLoop(
  concurrency: number,
  seconds: number,
  work: () => Promise<void>,
) {
  const deadline = performance.now() + seconds * 1000;
  const latencies: number[] = [];
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const started = performance.now();
        await work();
        latencies.push(performance.now() - started);
      }
    }),
  );
  return { latencies, perSecond: latencies.length / seconds };
}

/**
 * Row 1: creating a booking through the whole HTTP stack (router, auth, OpenAPI validation,
 * permission, policy, audit, transaction) against the bare transaction written directly in
 * knex (lock the environment row, overlap check, insert) on the same database, at the same
 * concurrency; and a plain insert loop as the floor.
 */
export async function benchBookingCreate(
  db: BenchDatabase,
  options: {
    concurrencies: number[];
    seconds: number;
    repetitions: number;
    /** Count statements and profile a missed target (row 1); growth runs only measure. */
    diagnose?: boolean;
  },
): Promise<CreateRow[]> {
  const { knex } = db;
  const backend = await startTestBackend({
    features: [
      environmentsPlugin,
      catalogServiceMock.factory({
        entities: Array.from({ length: ENVIRONMENTS }, (_, i) =>
          benchEnvironment(i),
        ),
      }),
      mockServices.database.factory({ knex }),
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
      mockServices.rootConfig.factory({ data: {} }),
    ],
  });
  const port = (backend.server.address() as AddressInfo).port;
  const next = slots();
  const user = mockCredentials.user.header('user:default/bench');
  const body = () => {
    const slot = next();
    return JSON.stringify({
      environmentRef: slot.environmentRef,
      title: 'Benchmark',
      purpose: 'testing',
      start: slot.start.toISOString(),
      end: slot.end.toISOString(),
    });
  };

  async function api(concurrency: number, seconds: number) {
    const latencies: number[] = [];
    let failures = 0;
    await new Promise<void>((resolve, reject) => {
      const instance = autocannon(
        {
          url: `http://127.0.0.1:${port}`,
          connections: concurrency,
          duration: seconds,
          requests: [
            {
              method: 'POST',
              path: '/api/environments/bookings',
              headers: {
                authorization: user,
                'content-type': 'application/json',
              },
              setupRequest: request => ({ ...request, body: body() }),
            },
          ],
        },
        error => (error ? reject(error) : resolve()),
      );
      instance.on('response', (_client, statusCode, _bytes, responseTime) => {
        latencies.push(responseTime);
        if (statusCode !== 201) failures += 1;
      });
    });
    return { latencies, perSecond: latencies.length / seconds, failures };
  }

  const isPostgres = knex.client.config.client === 'pg';
  const bareTransaction = async () => {
    const slot = next();
    await knex.transaction(async tx => {
      const lock = tx('environments')
        .select('entity_ref')
        .where('entity_ref', slot.environmentRef);
      await (isPostgres ? lock.forUpdate() : lock);
      await tx('bookings')
        .count({ n: '*' })
        .where('environment_ref', slot.environmentRef)
        .where('status', 'approved')
        .where('starts_at', '<', slot.end)
        .where('ends_at', '>', slot.start);
      await insertBooking(
        tx,
        {
          id: randomUUID(),
          requesterRef: 'user:default/bench',
          status: 'approved',
          title: 'Benchmark',
          purpose: 'testing',
          ...slot,
        },
        new Date(),
      );
    });
  };
  const plainInsert = async () => {
    const slot = next();
    await knex('bookings').insert({
      id: randomUUID(),
      environment_ref: slot.environmentRef,
      requester_ref: 'user:default/bench',
      title: 'Benchmark',
      purpose: 'testing',
      starts_at: slot.start,
      ends_at: slot.end,
      status: 'released',
      original_ends_at: slot.end,
      extension_count: 0,
      created_at: new Date(),
      updated_at: new Date(),
    });
  };

  const rows: CreateRow[] = [];
  try {
    // Warm-up: JIT, connection pools, the environment rows the first bookings create.
    await api(8, 1);
    for (const concurrency of options.concurrencies) {
      const apiRuns = [];
      const bareRuns = [];
      for (let r = 0; r < options.repetitions; r++) {
        apiRuns.push(await api(concurrency, options.seconds));
        bareRuns.push(
          await closedLoop(concurrency, options.seconds, bareTransaction),
        );
      }
      const inserts = await closedLoop(
        concurrency,
        Math.min(3, options.seconds),
        plainInsert,
      );
      const apiRate = medianAndSpread(apiRuns.map(run => run.perSecond));
      const bareRate = medianAndSpread(bareRuns.map(run => run.perSecond));
      rows.push({
        database: db.id,
        concurrency,
        apiPerSecond: apiRate.median,
        apiSpread: apiRate.spread,
        barePerSecond: bareRate.median,
        ratio: apiRate.median / bareRate.median,
        api: percentiles(apiRuns.flatMap(run => run.latencies)),
        bare: percentiles(bareRuns.flatMap(run => run.latencies)),
        insertsPerSecond: inserts.perSecond,
        failures: apiRuns.reduce((sum, run) => sum + run.failures, 0),
      });
    }
    if (options.diagnose !== false) {
      // Each statement is a round trip to the database: the API path's count against the bare
      // transaction's says how much of the gap is the database's share.
      const statements = async (work: () => Promise<void>) => {
        let count = 0;
        const onQuery = () => {
          count++;
        };
        knex.on('query', onQuery);
        try {
          for (let i = 0; i < 20; i++) await work();
        } finally {
          knex.off('query', onQuery);
        }
        return count / 20;
      };
      const queriesPerCreate = {
        api: await statements(async () => {
          const response = await fetch(
            `http://127.0.0.1:${port}/api/environments/bookings`,
            {
              method: 'POST',
              headers: {
                authorization: user,
                'content-type': 'application/json',
              },
              body: body(),
            },
          );
          if (response.status !== 201) {
            throw new Error(`A create answered ${response.status}`);
          }
        }),
        bare: await statements(bareTransaction),
      };
      for (const row of rows) row.queriesPerCreate = queriesPerCreate;
      const missed = rows.filter(row => !createTargetsMet(row));
      const worst = missed[missed.length - 1];
      if (worst) {
        worst.profile = await profiled(
          `create-${db.id}-${worst.concurrency}`,
          async () => {
            await api(worst.concurrency, Math.min(3, options.seconds));
          },
        );
      }
    }
  } finally {
    await backend.stop();
  }
  return rows;
}
