import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import prometheusModule from '@internal/plugin-environments-backend-module-prometheus';
import {
  Fixture,
  FixtureSeries,
  startPrometheus,
} from '@internal/plugin-environments-backend-module-prometheus/testUtils';
import {
  EntitySlos,
  SloRollup,
  SloStatus,
} from '@internal/plugin-environments-common';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs/promises';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { environmentsPlugin } from '../src/plugin';
import { BenchDatabase, freshDatabase } from './databases';
import { profiled, profileTable, ProfileSummary } from './profile';
import { ms, percentiles } from './stats';

const SLOS = 100;
/** Every tenth component has a latency (threshold) SLO, the others an availability ratio. */
const THRESHOLD_EVERY = 10;
const TEAMS = 4;
const DATA_DAYS = 30;
/** Past the 30 days, so the window's first 5-minute bucket has samples on both sides. */
const DATA_MINUTES = DATA_DAYS * 24 * 60 + 60;
export const SLO_QUERIES_TARGET = 2;
export const SLO_ROLLUP_TARGET_MS = 2000;
/** The Prometheus source's default query timeout; the bench keeps it. */
const PROMETHEUS_TIMEOUT_MS = 10_000;
const ORG = 'group:default/bench-org';
/** Owns nothing: its roll-up runs the route without evaluating an SLO (a warm-up). */
const EMPTY_GROUP = 'group:default/bench-empty';

type Percentiles = ReturnType<typeof percentiles>;

/** Timings of one request type, cold or warm. */
export interface SloTiming {
  runs: number;
  ms: Percentiles;
  /** Median share of the request's time during which a Prometheus query was in flight. */
  inFlightShare: number;
  /** Median CPU time of a request: the backend's process (all its threads), and Prometheus. */
  backendCpuMs: number;
  prometheusCpuMs: number;
  /** The longest a query took, from reaching the proxy to its answer, over all runs. */
  slowestQueryMs: number;
  /** Queries that reached Prometheus, per SLO evaluated (mean over the runs). */
  queriesPerSlo: number;
}

export interface SloRow {
  quick: boolean;
  slos: number;
  thresholdSlos: number;
  /** Distinct services with their own series; SLOs share them when fewer than `slos`. */
  services: number;
  series: number;
  samples: number;
  prometheusVersion: string;
  /** The machine's cores, which Prometheus and the backend share. */
  cores: number;
  /** Generating the OpenMetrics text, backfilling it with promtool and starting Prometheus. */
  setupMs: number;
  single: {
    cold: SloTiming;
    warm: SloTiming;
    /** The most queries one SLO took, seen through the proxy, by kind. */
    mostQueries: Record<'ratio' | 'threshold', { cold: number; warm: number }>;
    /** Whether `source.queries` in the answers always equalled what the proxy saw. */
    reportedQueriesMatch: boolean;
  };
  rollup: { cold: SloTiming; warm: SloTiming };
  /** The roll-up's statuses, to show the data is not trivially healthy. */
  statuses: Partial<Record<SloStatus, number>>;
  /** Where a cold roll-up spends its time, when it misses its target; its time and rows. */
  profile?: ProfileSummary & { ms: number; rows: number };
}

const pad = (i: number) => String(i).padStart(3, '0');
const isThreshold = (service: number) =>
  service % THRESHOLD_EVERY === THRESHOLD_EVERY - 1;

/**
 * Incidents by service, in minutes before the data ends, with the share of requests failing
 * during each (latency SLOs are just slow then), so that the roll-up holds healthy, at-risk
 * and breached SLOs and some burning now.
 */
function incidentsOf(
  service: number,
): Array<{ from: number; to: number; share: number }> {
  const day = 24 * 60;
  switch (service % 4) {
    case 1:
      return [{ from: 5 * day, to: 5 * day - 60, share: 0.3 }];
    case 2:
      return [{ from: 12 * day, to: 12 * day - 180, share: 0.3 }];
    case 3:
      return [{ from: 20, to: 0, share: 0.05 }];
    default:
      return [];
  }
}

/** One minute-by-minute series set per service: request counters, or a latency gauge. */
function serviceSeries(service: number): FixtureSeries[] {
  const job = `svc-${pad(service)}`;
  const incidents = incidentsOf(service);
  const share = (minute: number) => {
    const ago = DATA_MINUTES - minute;
    return incidents.find(i => ago <= i.from && ago > i.to)?.share;
  };
  if (isThreshold(service)) {
    return [
      {
        name: 'http_request_duration_p99_seconds',
        type: 'gauge',
        labels: { job },
        at: minute => (share(minute) === undefined ? 0.2 : 0.6),
      },
    ];
  }
  const requests = 200 + ((service * 7919) % 800);
  // Outside incidents one error every 20 minutes: a quarter of a 99.9% budget at 200/min.
  const errors = (minute: number) => {
    const during = share(minute);
    if (during !== undefined) return Math.round(requests * during);
    return minute % 20 === service % 20 ? 1 : 0;
  };
  return [
    {
      name: 'http_requests_total',
      type: 'counter',
      labels: { job, code: '200' },
      at: minute => requests - errors(minute),
    },
    {
      name: 'http_requests_total',
      type: 'counter',
      labels: { job, code: '500' },
      at: errors,
    },
  ];
}

function sloFile(component: number, service: number): string {
  const job = `svc-${pad(service)}`;
  const source = (query: string) =>
    `{ metricSource: { type: prometheus, spec: { query: '${query}' } } }`;
  const head = `apiVersion: openslo/v1
kind: SLO
metadata:
  name: ${isThreshold(service) ? 'latency' : 'availability'}
  displayName: Component ${pad(component)}
spec:
  service: ${job}
  timeWindow:
    - { duration: ${DATA_DAYS}d, isRolling: true }
`;
  if (isThreshold(service)) {
    return `${head}  indicator:
    spec:
      thresholdMetric: ${source(
        `http_request_duration_p99_seconds{job="${job}"}`,
      )}
  budgetingMethod: Timeslices
  objectives:
    - { target: 0.99, op: lte, value: 0.3, timeSliceWindow: 5m }
`;
  }
  return `${head}  indicator:
    spec:
      ratioMetric:
        counter: true
        bad: ${source(`http_requests_total{job="${job}",code=~"5.."}`)}
        total: ${source(`http_requests_total{job="${job}"}`)}
  budgetingMethod: Occurrences
  objectives:
    - { target: 0.999 }
`;
}

/** 100 components owned by four teams under one organisation, each with one SLO file. */
function catalog(dir: string): Entity[] {
  const group = (name: string, relations: Entity['relations']): Entity => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default' },
    spec: { type: 'team', children: [] },
    relations,
  });
  const teams = Array.from(
    { length: TEAMS },
    (_, i) => `group:default/bench-team-${i}`,
  );
  return [
    group(
      'bench-org',
      teams.map(targetRef => ({ type: 'parentOf', targetRef })),
    ),
    ...teams.map(team =>
      group(team.slice('group:default/'.length), [
        { type: 'childOf', targetRef: ORG },
      ]),
    ),
    group('bench-empty', []),
    ...Array.from({ length: SLOS }, (_, i): Entity => {
      const owner = teams[i % TEAMS];
      return {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: {
          name: `component-${pad(i)}`,
          namespace: 'default',
          annotations: {
            'backstage.io/managed-by-location': `file:${dir}/catalog-info.yaml`,
            'openslo.dev/slo-files': `slos/component-${pad(i)}.yaml`,
          },
        },
        spec: { type: 'service', owner },
        relations: [{ type: 'ownedBy', targetRef: owner }],
      };
    }),
  ];
}

/** The helper's Prometheus with the month in one block: promtool reads its input once per block. */
async function startBenchPrometheus(fixture: Fixture) {
  const prometheus = await startPrometheus(fixture, {
    maxBlockDuration: '5000h',
  });
  try {
    const info = (await (
      await fetch(`${prometheus.url}/api/v1/status/buildinfo`)
    ).json()) as { data?: { version?: string } };
    return { ...prometheus, version: info.data?.version ?? 'unknown' };
  } catch (error) {
    await prometheus.stop();
    throw error;
  }
}

/**
 * A pass-through proxy in front of Prometheus that counts the requests reaching it and the
 * time during which at least one is in flight: what the backend really asks, however it counts
 * itself. It runs as its own process so that its work is not charged to the backend's CPU;
 * `/bench-proxy-stats` answers the counts, and the slowest query since the last time it was
 * asked. It ends with its parent (stdin closes).
 */
const PROXY_SOURCE = `
const http = require('node:http');
const upstream = new URL(process.argv[1]);
const agent = new http.Agent({ keepAlive: true });
let requests = 0, busyMs = 0, inFlight = 0, busySince = 0, slowestMs = 0;
const server = http.createServer((req, res) => {
  if (req.url === '/bench-proxy-stats') {
    const open = inFlight > 0 ? performance.now() - busySince : 0;
    res.end(JSON.stringify({ requests, busyMs: busyMs + open, slowestMs }));
    slowestMs = 0;
    return;
  }
  requests++;
  const started = performance.now();
  if (inFlight++ === 0) busySince = started;
  res.once('close', () => {
    const now = performance.now();
    slowestMs = Math.max(slowestMs, now - started);
    if (--inFlight === 0) busyMs += now - busySince;
  });
  const forward = http.request(
    { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method,
      headers: req.headers, agent },
    answer => {
      res.writeHead(answer.statusCode, answer.headers);
      answer.pipe(res);
    },
  );
  forward.once('error', error => res.destroy(error));
  req.pipe(forward);
});
server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));
process.stdin.on('end', () => process.exit(0)).resume();
`;

async function startCountingProxy(target: string) {
  const child = spawn(process.execPath, ['-e', PROXY_SOURCE, target], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  };
  try {
    const [port] = await once(child.stdout!, 'data', {
      signal: AbortSignal.timeout(10_000),
    });
    const url = `http://127.0.0.1:${String(port).trim()}`;
    const stats = async () =>
      (await (await fetch(`${url}/bench-proxy-stats`)).json()) as {
        requests: number;
        busyMs: number;
        slowestMs: number;
      };
    return { url, pid: child.pid!, stats, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** CPU time a process has used, in ms (Linux); NaN where /proc is not there. */
async function processCpuMs(pid: number): Promise<number> {
  const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  // utime and stime, in ticks of 1/100 s, are the 12th and 13th fields after "(name) ".
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields.length > 13
    ? (Number(fields[11]) + Number(fields[12])) * 10
    : NaN;
}

type Proxy = Awaited<ReturnType<typeof startCountingProxy>>;

async function startBackend(
  entities: Entity[],
  db: BenchDatabase,
  proxy: Proxy,
  prometheusPid: number,
) {
  const backend = await startTestBackend({
    features: [
      environmentsPlugin,
      prometheusModule,
      catalogServiceMock.factory({ entities }),
      mockServices.database.factory({ knex: db.knex }),
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
      mockServices.rootConfig.factory({
        data: { environments: { prometheus: { baseUrl: proxy.url } } },
      }),
      mockServices.rootLogger.factory({ level: 'warn' }),
    ],
  });
  const base = `http://127.0.0.1:${
    (backend.server.address() as AddressInfo).port
  }/api/environments`;
  const headers = {
    authorization: mockCredentials.user.header('user:default/bench'),
  };
  /** One timed GET, with the Prometheus queries, in-flight time and CPU time it caused. */
  const get = async <T>(route: string) => {
    const [proxyBefore, prometheusBefore] = await Promise.all([
      proxy.stats(),
      processCpuMs(prometheusPid),
    ]);
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const response = await fetch(`${base}${route}`, { headers });
    const body = (await response.json()) as T;
    const elapsed = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    const [proxyAfter, prometheusAfter] = await Promise.all([
      proxy.stats(),
      processCpuMs(prometheusPid),
    ]);
    if (!response.ok) {
      throw new Error(
        `${route} answered ${response.status}: ${JSON.stringify(body)}`,
      );
    }
    return {
      body,
      ms: elapsed,
      queries: proxyAfter.requests - proxyBefore.requests,
      inFlightMs: proxyAfter.busyMs - proxyBefore.busyMs,
      slowestQueryMs: proxyAfter.slowestMs,
      backendCpuMs: (cpu.user + cpu.system) / 1000,
      prometheusCpuMs: prometheusAfter - prometheusBefore,
    };
  };
  // The first request compiles the route's validators and the like: not the SLOs' cost.
  await get(`/slos/rollup?groupRef=${EMPTY_GROUP}`);
  return { backend, get };
}

type Sample = {
  ms: number;
  queries: number;
  inFlightMs: number;
  slowestQueryMs: number;
  backendCpuMs: number;
  prometheusCpuMs: number;
};

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function timing(samples: Sample[], slosPerRun: number): SloTiming {
  return {
    runs: samples.length,
    ms: percentiles(samples.map(sample => sample.ms)),
    inFlightShare: median(samples.map(sample => sample.inFlightMs / sample.ms)),
    backendCpuMs: median(samples.map(sample => sample.backendCpuMs)),
    prometheusCpuMs: median(samples.map(sample => sample.prometheusCpuMs)),
    slowestQueryMs: Math.max(...samples.map(sample => sample.slowestQueryMs)),
    queriesPerSlo:
      samples.reduce((sum, sample) => sum + sample.queries, 0) /
      (samples.length * slosPerRun),
  };
}

/** Throws unless the roll-up evaluated all SLOs from data: an empty answer is fast, not good. */
function checkRollup(rollup: SloRollup) {
  const withData = rollup.items.filter(
    item => item.source === 'ok' && item.sli !== undefined,
  );
  if (
    rollup.items.length !== SLOS ||
    withData.length !== SLOS ||
    rollup.problems.length > 0
  ) {
    throw new Error(
      `The roll-up evaluated ${withData.length} of ${SLOS} SLOs from data (${
        rollup.items.length
      } rows, problems: ${JSON.stringify(
        rollup.problems,
      )}); an SLO whose queries failed (see the warnings above) has no row at all`,
    );
  }
}

/**
 * Row 6: SLO evaluation on a real Prometheus holding 30 days of minute samples. 100 components
 * under one organisation's four teams each have one SLO (90 availability ratios, 10 latency
 * thresholds); a counting proxy in front of Prometheus sees every query. Cold means the
 * backend's cache has never seen the SLO (a fresh backend, or an entity not yet asked for);
 * warm repeats the request within the minute the evaluation is cached.
 */
export async function benchSlos(options: { quick: boolean }): Promise<SloRow> {
  const { quick } = options;
  // Quick runs share ten services' series among the SLOs: a tenth of the backfill, the same
  // queries per SLO and the same samples per query.
  const services = quick ? 10 : SLOS;
  const runs = quick
    ? { coldSingle: 10, warmSingle: 30, coldRollup: 3, warmRollup: 5 }
    : { coldSingle: 40, warmSingle: 200, coldRollup: 7, warmRollup: 30 };
  const cleanups: Array<() => Promise<void>> = [];
  try {
    const endSeconds = Math.floor(Date.now() / 60_000) * 60;
    const fixture: Fixture = {
      startSeconds: endSeconds - DATA_MINUTES * 60,
      minutes: DATA_MINUTES,
      series: Array.from({ length: services }, (_, i) =>
        serviceSeries(i),
      ).flat(),
    };
    const setupStarted = performance.now();
    const prometheus = await startBenchPrometheus(fixture);
    cleanups.push(prometheus.stop);
    const setupMs = performance.now() - setupStarted;
    const proxy = await startCountingProxy(prometheus.url);
    cleanups.push(proxy.stop);
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tem-bench-slos-'));
    cleanups.push(() => fs.rm(dir, { recursive: true, force: true }));
    await fs.mkdir(path.join(dir, 'slos'));
    await Promise.all(
      Array.from({ length: SLOS }, (_, i) =>
        fs.writeFile(
          path.join(dir, 'slos', `component-${pad(i)}.yaml`),
          sloFile(i, i % services),
        ),
      ),
    );
    const db = await freshDatabase('SQLite');
    cleanups.push(db.drop);
    const entities = catalog(dir);

    // One SLO per request: cold on entities not asked for before; then warm, the same entities
    // again in turn, each evaluated seconds ago.
    const first = await startBackend(entities, db, proxy, prometheus.pid);
    cleanups.push(() => first.backend.stop());
    const mostQueries: SloRow['single']['mostQueries'] = {
      ratio: { cold: 0, warm: 0 },
      threshold: { cold: 0, warm: 0 },
    };
    let reportedQueriesMatch = true;
    const single = async (i: number, cache: 'cold' | 'warm') => {
      const result = await first.get<EntitySlos>(
        `/slos?entityRef=component:default/component-${pad(i)}`,
      );
      const [slo] = result.body.items;
      if (slo?.source.status !== 'ok' || !slo.objectives[0]) {
        throw new Error(
          `component-${pad(i)}: ${JSON.stringify(slo?.source ?? result.body)}`,
        );
      }
      if (cache === 'cold') {
        reportedQueriesMatch &&= slo.source.queries === result.queries;
      }
      const most =
        mostQueries[isThreshold(i % services) ? 'threshold' : 'ratio'];
      most[cache] = Math.max(most[cache], result.queries);
      return result;
    };
    const coldSingle: Sample[] = [];
    for (let i = 0; i < runs.coldSingle; i++) {
      coldSingle.push(await single(i, 'cold'));
    }
    const warmSingle: Sample[] = [];
    for (let i = 0; i < runs.warmSingle; i++) {
      warmSingle.push(await single(i % runs.coldSingle, 'warm'));
    }
    await first.backend.stop();
    cleanups.pop();

    // The roll-up, cold: a new backend (an empty cache) for every run.
    const coldRollup: Sample[] = [];
    let last: Awaited<ReturnType<typeof startBackend>> | undefined;
    let statuses: SloRow['statuses'] = {};
    for (let i = 0; i < runs.coldRollup; i++) {
      if (last) {
        await last.backend.stop();
        cleanups.pop();
      }
      const current = await startBackend(entities, db, proxy, prometheus.pid);
      last = current;
      cleanups.push(() => current.backend.stop());
      const result = await current.get<SloRollup>(
        `/slos/rollup?groupRef=${ORG}`,
      );
      checkRollup(result.body);
      statuses = {};
      for (const item of result.body.items) {
        statuses[item.status] = (statuses[item.status] ?? 0) + 1;
      }
      coldRollup.push(result);
    }
    const warmRollup: Sample[] = [];
    for (let i = 0; i < runs.warmRollup; i++) {
      const result = await last!.get<SloRollup>(`/slos/rollup?groupRef=${ORG}`);
      checkRollup(result.body);
      warmRollup.push(result);
    }

    const rollup = {
      cold: timing(coldRollup, SLOS),
      warm: timing(warmRollup, SLOS),
    };
    let profile: SloRow['profile'];
    if (rollup.cold.ms.p95 > SLO_ROLLUP_TARGET_MS) {
      await last!.backend.stop();
      cleanups.pop();
      const fresh = await startBackend(entities, db, proxy, prometheus.pid);
      cleanups.push(() => fresh.backend.stop());
      let profiledMs = 0;
      let profiledRows = 0;
      const summary = await profiled('slo-rollup-cold', async () => {
        // Not checked: the profiler slows the backend, which may push queries past their
        // timeout; the row count shows whether it did.
        const result = await fresh.get<SloRollup>(
          `/slos/rollup?groupRef=${ORG}`,
        );
        profiledMs = result.ms;
        profiledRows = result.body.items.length;
      });
      profile = { ...summary, ms: profiledMs, rows: profiledRows };
    }
    return {
      quick,
      slos: SLOS,
      thresholdSlos: Array.from({ length: SLOS }, (_, i) => i).filter(i =>
        isThreshold(i % services),
      ).length,
      services,
      series: fixture.series.length,
      samples: fixture.series.length * (DATA_MINUTES + 1),
      prometheusVersion: prometheus.version,
      cores: os.cpus().length,
      setupMs,
      single: {
        cold: timing(coldSingle, 1),
        warm: timing(warmSingle, 1),
        mostQueries,
        reportedQueriesMatch,
      },
      rollup,
      statuses,
      profile,
    };
  } finally {
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch(error =>
        process.stderr.write(`SLO bench clean-up failed: ${error}\n`),
      );
    }
  }
}

const verdict = (met: boolean) => (met ? 'met' : 'not met');

function timingRow(
  request: string,
  cache: string,
  t: SloTiming,
  slos: number,
  target: string,
) {
  const cpu = (value: number) => (Number.isNaN(value) ? '–' : value.toFixed(0));
  return `| ${request} | ${cache} | ${t.runs} | ${ms(t.ms.p50)} / ${ms(
    t.ms.p95,
  )} | ${ms(t.ms.p50 / slos)} | ${cpu(t.backendCpuMs)} / ${cpu(
    t.prometheusCpuMs,
  )} | ${(t.inFlightShare * 100).toFixed(0)}% | ${t.queriesPerSlo.toFixed(
    2,
  )} | ${target} |`;
}

/** Row 6 as Markdown: what was measured, and the numbers against their targets. */
export function sloSection(row: SloRow): string {
  const { single, rollup } = row;
  const { ratio, threshold } = single.mostQueries;
  const mostQueries = Math.max(
    ratio.cold,
    threshold.cold,
    rollup.cold.queriesPerSlo,
  );
  const rollupTarget = (t: SloTiming) =>
    `≤ ${SLO_ROLLUP_TARGET_MS} ms: ${verdict(
      t.ms.p95 <= SLO_ROLLUP_TARGET_MS,
    )}`;
  const statuses = Object.entries(row.statuses)
    .map(([status, count]) => `${count} ${status}`)
    .join(', ');
  const shared =
    row.services < row.slos
      ? ` A quick run: the SLOs share ${row.services} services' series, so the backfill is smaller;` +
        ' each query still reads 30 days of minute samples.'
      : '';
  const seconds = (value: number) => (value / 1000).toFixed(1);
  const intro = `Prometheus ${
    row.prometheusVersion
  } on 127.0.0.1 holds ${DATA_DAYS} days of samples, one a minute,
backfilled with promtool: ${row.series} series, ${row.samples.toLocaleString(
    'en-US',
  )} samples (generated, backfilled and started in ${seconds(
    row.setupMs,
  )} s).${shared}
${
  row.slos
} components owned by the ${TEAMS} teams of one organisation have one OpenSLO file each, read
from disk: ${
    row.slos - row.thresholdSlos
  } availability SLOs (5xx over all requests, Occurrences, 99.9%) and ${
    row.thresholdSlos
  } latency SLOs
(p99 gauge ≤ 0.3 s, 5-minute Timeslices, 99%), all over a rolling 30 days. The whole backend runs
in process; a counting proxy, in its own process, sits in front of Prometheus and sees every query.
Cold: the backend's cache has never seen the SLO (an entity not asked for before, or a new backend
for each roll-up); warm: the same request again within the minute evaluations are cached. The
roll-up asks for the organisation (\`GET /slos/rollup\`), which takes in its child teams; every
answer is checked to hold all ${
    row.slos
  } SLOs with numbers from Prometheus (${statuses}). CPU is that of
the backend's process (all its threads) and of Prometheus, which share the machine's ${
    row.cores
  } cores; "in
flight" is the share of a request's time during which a Prometheus query was open. The 2 s target
applies to the cold roll-up's p95.`;
  const lines = [
    '## 6. SLO evaluation on a real Prometheus with 30 days of data',
    '',
    intro,
    '',
    `| SLO | Queries, cold (most per SLO) | Queries, warm | Target ≤ ${SLO_QUERIES_TARGET} per SLO |`,
    '| --- | --- | --- | --- |',
    `| Availability (ratio), \`GET /slos\` | ${ratio.cold} | ${
      ratio.warm
    } | ${verdict(ratio.cold <= SLO_QUERIES_TARGET)} |`,
    `| Latency (threshold), \`GET /slos\` | ${threshold.cold} | ${
      threshold.warm
    } | ${verdict(threshold.cold <= SLO_QUERIES_TARGET)} |`,
    `| Roll-up of ${
      row.slos
    } (mean per SLO) | ${rollup.cold.queriesPerSlo.toFixed(
      2,
    )} | ${rollup.warm.queriesPerSlo.toFixed(2)} | ${verdict(
      rollup.cold.queriesPerSlo <= SLO_QUERIES_TARGET,
    )} |`,
    '',
    `Queries per SLO: ${verdict(
      mostQueries <= SLO_QUERIES_TARGET,
    )}. The answers' own \`source.queries\` ${
      single.reportedQueriesMatch
        ? 'matched the proxy count on every cold request'
        : 'did NOT always match the proxy count'
    }.`,
    '',
    '| Request | Cache | Runs | p50 / p95 ms | Per SLO, p50 ms | CPU ms, backend / Prometheus | Prometheus query in flight | Queries per SLO | Target |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    timingRow('`GET /slos?entityRef=` (1 SLO)', 'cold', single.cold, 1, '–'),
    timingRow('`GET /slos?entityRef=` (1 SLO)', 'warm', single.warm, 1, '–'),
    timingRow(
      `\`GET /slos/rollup\` (${row.slos} SLOs)`,
      'cold',
      rollup.cold,
      row.slos,
      rollupTarget(rollup.cold),
    ),
    timingRow(
      `\`GET /slos/rollup\` (${row.slos} SLOs)`,
      'warm',
      rollup.warm,
      row.slos,
      `(${rollupTarget(rollup.warm)})`,
    ),
  ];
  const cpu = rollup.cold.backendCpuMs + rollup.cold.prometheusCpuMs;
  if (!Number.isNaN(cpu)) {
    lines.push(
      '',
      `A cold roll-up costs ${seconds(
        rollup.cold.backendCpuMs,
      )} s of the backend's CPU and ${seconds(
        rollup.cold.prometheusCpuMs,
      )} s of Prometheus's (medians): on ${
        row.cores
      } cores that alone takes at least ${seconds(cpu / row.cores)} s.`,
    );
  }
  lines.push(
    '',
    `The slowest query of a cold roll-up took ${seconds(
      rollup.cold.slowestQueryMs,
    )} s to answer (the source gives each ${seconds(
      PROMETHEUS_TIMEOUT_MS,
    )} s). The roll-up evaluates a few SLOs at a time, so queries do not queue at Prometheus until they time out; an SLO whose query fails keeps its rows, marked as having no data.`,
  );
  if (row.profile) {
    lines.push(
      '',
      `Profile of one more cold roll-up, on a new backend (${ms(
        row.profile.ms,
      )} ms under the profiler, ${row.profile.rows} of ${row.slos} SLOs):`,
      '',
      profileTable(row.profile),
    );
  }
  return lines.join('\n');
}
