import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * The real backend (src/index.ts with app-config.yaml) and a PostgreSQL server of its own, each
 * as a separate process on 127.0.0.1, for tests of what only processes show: replicas sharing a
 * database, a database going away under a running backend.
 */

// Tests only: this file is never part of a production build.
// eslint-disable-next-line no-restricted-syntax
const backendDir = path.resolve(__dirname, '../..');
const repoRoot = path.resolve(backendDir, '../..');

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A new directory under the system's temporary folder; its user removes it. */
export function tempDir(name: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `tem-${name}-`));
}

async function stopProcess(child: ChildProcess, graceMs = 10_000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise(resolve => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs: number,
  failed: () => string | undefined = () => undefined,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const failure = failed();
    if (failure) throw new Error(`${what}: ${failure}`);
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) {
      throw new Error(`${what}: not ready after ${timeoutMs} ms`);
    }
    await new Promise(r => setTimeout(r, 250));
  }
}

export interface RunningBackend {
  url: string;
  /** Everything the process printed so far, one entry per line. */
  logLines: string[];
  /** A user token for `user:default/guest`, from the guest sign-in of app-config.yaml. */
  token(): Promise<string>;
  /**
   * One call of the environments API as `token`'s user: the answer's status, its parsed body
   * and how long it took. Gives up after a minute.
   */
  environmentsApi(
    token: string,
    method: string,
    route: string,
    body?: object,
  ): Promise<{ status: number; body: any; ms: number }>;
  /** Waits until the catalog has read the environment `namespace/name` from the demo files. */
  environmentReady(name: string, token: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts src/index.ts as its own Node process with app-config.yaml and `config` on top, on a free
 * port of 127.0.0.1, and waits until it is ready (at most `readyTimeoutMs`).
 */
export async function startBackend(
  config: object,
  options: { readyTimeoutMs?: number } = {},
): Promise<RunningBackend> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const dir = tempDir('backend');
  const configFile = path.join(dir, 'app-config.json');
  // JSON is YAML: the config loader takes the file as it is.
  fs.writeFileSync(
    configFile,
    JSON.stringify({
      ...config,
      backend: {
        ...(config as { backend?: object }).backend,
        baseUrl: url,
        listen: { port, host: '127.0.0.1' },
      },
    }),
  );
  const child = spawn(
    process.execPath,
    [
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
      'src/index.ts',
      '--config',
      path.join(repoRoot, 'app-config.yaml'),
      '--config',
      configFile,
    ],
    {
      cwd: backendDir,
      // The guest sign-in is for development only.
      env: { ...process.env, NODE_ENV: 'development' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const logLines: string[] = [];
  const collect = (chunk: Buffer) =>
    logLines.push(...chunk.toString().split('\n').filter(Boolean));
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const stop = async () => {
    await stopProcess(child);
    fs.rmSync(dir, { recursive: true, force: true });
  };

  try {
    await waitFor(
      `backend on ${url}`,
      async () =>
        (await fetch(`${url}/.backstage/health/v1/readiness`)).status === 200,
      options.readyTimeoutMs ?? 180_000,
      () =>
        child.exitCode === null
          ? undefined
          : `exited with ${child.exitCode}:\n${logLines.slice(-30).join('\n')}`,
    );
  } catch (error) {
    await stop();
    throw error;
  }

  const environmentsApi: RunningBackend['environmentsApi'] = async (
    token,
    method,
    route,
    body,
  ) => {
    const started = Date.now();
    const res = await fetch(`${url}/api/environments${route}`, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        'Content-Type': 'application/json',
      },
      body: body && JSON.stringify(body),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await res.text();
    return {
      status: res.status,
      body: text ? JSON.parse(text) : undefined,
      ms: Date.now() - started,
    };
  };

  return {
    url,
    logLines,
    async token() {
      const res = await fetch(`${url}/api/auth/guest/refresh?env=development`, {
        headers: { 'X-Requested-With': 'XMLHttpRequest' },
      });
      if (!res.ok) throw new Error(`guest sign-in: ${res.status}`);
      const body = await res.json();
      return body.backstageIdentity.token;
    },
    environmentsApi,
    async environmentReady(name, token) {
      await waitFor(
        `environment ${name} on ${url}`,
        async () =>
          (
            await environmentsApi(token, 'GET', `/environments/${name}`)
          ).status === 200,
        60_000,
      );
    },
    stop,
  };
}

/** The database settings of a backend on the PostgreSQL at `port`, in databases named `prefix*`. */
export function postgresDatabase(port: number, prefix: string) {
  return {
    client: 'pg',
    connection: { host: '127.0.0.1', port, user: 'postgres' },
    prefix,
    // A backend opens a pool per plugin; small ones keep two backends within the server's
    // 100 connections.
    knexConfig: { pool: { min: 0, max: 4 } },
  };
}

/** The result of one SQL statement in `database` on the PostgreSQL at `port`, as psql prints it. */
export function psql(port: number, database: string, sql: string): string {
  return execFileSync(
    'psql',
    [
      '-h',
      '127.0.0.1',
      '-p',
      String(port),
      '-U',
      'postgres',
      '-d',
      database,
      '-At',
      '-v',
      'ON_ERROR_STOP=1',
    ],
    {
      encoding: 'utf8',
      input: sql,
      env: { ...process.env, PSQLRC: '/dev/null' },
    },
  ).trim();
}

export interface RunningPostgres {
  port: number;
  /** Stops the server (fast shutdown: open connections are cut). */
  stop(): void;
  /** Starts it again on the same port and data. */
  start(): void;
  /** Stops it for good and removes its data. */
  remove(): void;
}

/** The PostgreSQL server binaries of the newest installed major version. */
function postgresBin(): string {
  const root = '/usr/lib/postgresql';
  const major = fs
    .readdirSync(root)
    .sort((a, b) => Number(a) - Number(b))
    .pop();
  return path.join(root, major!, 'bin');
}

/**
 * A PostgreSQL server of the test's own, in a temporary directory, on a free port of 127.0.0.1
 * with trust authentication. It runs as the `postgres` user when the test runs as root, because
 * PostgreSQL refuses to run as root.
 */
export async function startPostgres(): Promise<RunningPostgres> {
  const bin = postgresBin();
  const port = await freePort();
  const dir = tempDir('postgres');
  const asRoot = process.getuid?.() === 0;
  if (asRoot) execFileSync('chown', ['postgres:postgres', dir]);
  const run = (program: string, args: string[]) =>
    execFileSync(
      asRoot ? 'runuser' : path.join(bin, program),
      asRoot
        ? ['-u', 'postgres', '--', path.join(bin, program), ...args]
        : args,
      { stdio: 'pipe', timeout: 60_000 },
    );
  const data = path.join(dir, 'data');
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8']);
  const start = () =>
    run('pg_ctl', [
      '-D',
      data,
      '-l',
      path.join(dir, 'server.log'),
      '-w',
      '-t',
      '60',
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`,
      'start',
    ]);
  const stop = () => run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
  start();
  return {
    port,
    start,
    stop,
    remove() {
      try {
        stop();
      } catch {
        // Already stopped.
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
