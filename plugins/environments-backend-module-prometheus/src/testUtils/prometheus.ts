// A real Prometheus for tests and the demo: generated OpenMetrics data, backfilled with
// promtool, served on 127.0.0.1 with no scrape targets. Only Node built-ins and erasable
// TypeScript here, so `node` can run it directly (scripts/prometheus-demo.mjs) as well as jest.
import { ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import { promisify } from 'node:util';

/** One generated time series, sampled every minute. */
export interface FixtureSeries {
  /** Metric name; counters end in `_total`. */
  name: string;
  type: 'counter' | 'gauge';
  labels: Record<string, string>;
  /**
   * Counters: the events of minute `i` (counted at the sample that ends it). Gauges: the
   * value sampled at minute `i`.
   */
  at: (minute: number) => number;
}

export interface Fixture {
  /** First sample, seconds since the epoch. */
  startSeconds: number;
  /** Samples after the first, one per minute. */
  minutes: number;
  series: FixtureSeries[];
}

export interface RunningPrometheus {
  /** Base URL of the HTTP API, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** The server's process, e.g. to read its CPU time. */
  pid: number;
  stop(): Promise<void>;
}

function labelText(labels: Record<string, string>): string {
  const pairs = Object.entries(labels).map(
    ([name, value]) => `${name}="${value.replace(/["\\]/g, '\\$&')}"`,
  );
  return pairs.length ? `{${pairs.join(',')}}` : '';
}

/**
 * Writes the fixture as OpenMetrics: families grouped, timestamps in seconds, ending in `# EOF`.
 * Streamed, series by series: a month of minutes for a few hundred series is more text than
 * one JavaScript string holds.
 */
export async function writeOpenMetrics(
  file: string,
  fixture: Fixture,
): Promise<void> {
  const out = createWriteStream(file);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  const families = new Map<string, FixtureSeries[]>();
  for (const series of fixture.series) {
    const family =
      series.type === 'counter'
        ? series.name.replace(/_total$/, '')
        : series.name;
    families.set(family, [...(families.get(family) ?? []), series]);
  }
  for (const [family, members] of families) {
    await write(`# TYPE ${family} ${members[0].type}\n`);
    for (const series of members) {
      const name = series.type === 'counter' ? `${family}_total` : family;
      const prefix = `${name}${labelText(series.labels)} `;
      const lines: string[] = [];
      let count = 0;
      for (let minute = 0; minute <= fixture.minutes; minute++) {
        // A counter's sample at minute m holds the events of minutes 0 .. m-1.
        if (series.type === 'counter' && minute > 0)
          count += series.at(minute - 1);
        const value = series.type === 'counter' ? count : series.at(minute);
        lines.push(`${prefix}${value} ${fixture.startSeconds + minute * 60}`);
      }
      await write(`${lines.join('\n')}\n`);
    }
  }
  out.end('# EOF\n');
  await finished(out);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilReady(
  url: string,
  child: ChildProcess,
  logFile: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      const response = await fetch(`${url}/-/ready`, {
        signal: AbortSignal.timeout(1000),
      });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise(resolve => setTimeout(resolve, 200));
  }
  const log = await fs.readFile(logFile, 'utf8').catch(() => '');
  throw new Error(
    `Prometheus did not become ready within ${timeoutMs} ms:\n${log.slice(
      -2000,
    )}`,
  );
}

/**
 * Backfills the fixture into a fresh TSDB and starts Prometheus on it, on 127.0.0.1 and a free
 * port (or `port`). Call `stop()` when done: it ends the server and deletes its data.
 */
export async function startPrometheus(
  fixture: Fixture,
  options: {
    port?: number;
    readyTimeoutMs?: number;
    /**
     * Longest TSDB block promtool writes (default `24h`). promtool reads the whole input once
     * per block: a month of data backfills far faster in one block (e.g. `5000h`).
     */
    maxBlockDuration?: string;
  } = {},
): Promise<RunningPrometheus> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tem-prometheus-'));
  const dataDir = path.join(dir, 'data');
  const fixtureFile = path.join(dir, 'fixture.om');
  const configFile = path.join(dir, 'prometheus.yml');
  const logFile = path.join(dir, 'prometheus.log');
  await writeOpenMetrics(fixtureFile, fixture);
  await promisify(execFile)(
    'promtool',
    [
      'tsdb',
      'create-blocks-from',
      'openmetrics',
      // One block per day instead of one per two hours: a faster start.
      `--max-block-duration=${options.maxBlockDuration ?? '24h'}`,
      fixtureFile,
      dataDir,
    ],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  await fs.rm(fixtureFile);
  // No scrape targets: the server only answers queries over the backfilled data.
  await fs.writeFile(configFile, 'global:\n  scrape_interval: 1m\n');

  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const log = await fs.open(logFile, 'w');
  const child = spawn(
    'prometheus',
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${dataDir}`,
      '--storage.tsdb.retention.time=100y',
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: ['ignore', log.fd, log.fd] },
  );
  const exited = new Promise<void>(resolve =>
    child.once('exit', () => resolve()),
  );
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    }
    await log.close();
    await fs.rm(dir, { recursive: true, force: true });
  };
  try {
    await waitUntilReady(url, child, logFile, options.readyTimeoutMs ?? 60_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, pid: child.pid!, stop };
}

/**
 * The data the SLO tests compute their expected numbers from: `job="checkout"` in two
 * environments, sampled every minute for `minutes`.
 * - `incident` (default `staging`): 2,000 requests a minute, 1 failing; during a 30-minute
 *   incident that ended 15 minutes before the data ends, 400 failing a minute. Its p99 latency
 *   gauge is 0.2 s, 0.5 s during the incident.
 * - `quiet` (default `qa`): 1,000 requests a minute, none failing: its error series does not
 *   exist at all.
 */
export function incidentFixture(options: {
  startSeconds: number;
  minutes: number;
  environments?: { incident: string; quiet: string };
}): Fixture {
  const { startSeconds, minutes } = options;
  const { incident, quiet } = options.environments ?? {
    incident: 'staging',
    quiet: 'qa',
  };
  const inIncident = (minute: number) =>
    minute >= minutes - 45 && minute < minutes - 15;
  return {
    startSeconds,
    minutes,
    series: [
      {
        name: 'http_requests_total',
        type: 'counter',
        labels: { job: 'checkout', env: incident, code: '200' },
        at: m => 2000 - (inIncident(m) ? 400 : 1),
      },
      {
        name: 'http_requests_total',
        type: 'counter',
        labels: { job: 'checkout', env: incident, code: '500' },
        at: m => (inIncident(m) ? 400 : 1),
      },
      {
        name: 'http_requests_total',
        type: 'counter',
        labels: { job: 'checkout', env: quiet, code: '200' },
        at: () => 1000,
      },
      {
        name: 'latency_p99_seconds',
        type: 'gauge',
        labels: { job: 'checkout', env: incident },
        at: m => (inIncident(m) ? 0.5 : 0.2),
      },
    ],
  };
}

const DAY_MINUTES = 24 * 60;

/** Requests of one service in one environment: steady traffic, a steady error rate, incidents. */
function serviceSeries(options: {
  job: string;
  env: string;
  requestsPerMinute: number;
  errorsPerMinute: number;
  /** Minutes (from the start) of incidents, and their errors per minute. */
  incidents: Array<{ from: number; to: number; errorsPerMinute: number }>;
  latencySeconds: number;
  incidentLatencySeconds: number;
}): FixtureSeries[] {
  const inIncident = (minute: number) =>
    options.incidents.find(i => minute >= i.from && minute < i.to);
  const errors = (minute: number) =>
    inIncident(minute)?.errorsPerMinute ?? options.errorsPerMinute;
  const labels = { job: options.job, env: options.env };
  return [
    {
      name: 'http_requests_total',
      type: 'counter',
      labels: { ...labels, code: '200' },
      at: minute => options.requestsPerMinute - errors(minute),
    },
    {
      name: 'http_requests_total',
      type: 'counter',
      labels: { ...labels, code: '500' },
      at: errors,
    },
    {
      name: 'http_request_duration_p99_seconds',
      type: 'gauge',
      labels,
      at: minute =>
        inIncident(minute)
          ? options.incidentLatencySeconds
          : options.latencySeconds,
    },
  ];
}

/**
 * The demo's metrics: `days` of traffic ending at `endSeconds` for the demo catalog's services
 * (`job`) in their environments (`env` = the environment's catalog name), with a few incidents
 * so the SLO tab has budgets that are healthy, at risk and breached.
 */
export function demoFixture(endSeconds: number, days = 31): Fixture {
  const minutes = days * DAY_MINUTES;
  const end = minutes;
  return {
    startSeconds: endSeconds - minutes * 60,
    minutes,
    series: [
      // Payments in production: one bad hour two weeks ago, and a burn going on right now.
      ...serviceSeries({
        job: 'payments-api',
        env: 'prod-eu',
        requestsPerMinute: 6000,
        errorsPerMinute: 2,
        incidents: [
          {
            from: end - 14 * DAY_MINUTES,
            to: end - 14 * DAY_MINUTES + 60,
            errorsPerMinute: 90,
          },
          { from: end - 50, to: end, errorsPerMinute: 120 },
        ],
        latencySeconds: 0.18,
        incidentLatencySeconds: 0.9,
      }),
      // Payments in staging: quiet.
      ...serviceSeries({
        job: 'payments-api',
        env: 'checkout-staging',
        requestsPerMinute: 600,
        errorsPerMinute: 0,
        incidents: [],
        latencySeconds: 0.15,
        incidentLatencySeconds: 0.15,
      }),
      // Search in production: a long outage last week spent the whole budget.
      ...serviceSeries({
        job: 'search-api',
        env: 'prod-eu',
        requestsPerMinute: 3000,
        errorsPerMinute: 3,
        incidents: [
          {
            from: end - 7 * DAY_MINUTES,
            to: end - 7 * DAY_MINUTES + 240,
            errorsPerMinute: 1500,
          },
        ],
        latencySeconds: 0.12,
        incidentLatencySeconds: 2.5,
      }),
    ],
  };
}
