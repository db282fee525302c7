import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import {
  freePort,
  postgresDatabase,
  psql,
  RunningBackend,
  RunningPostgres,
  startBackend,
  startPostgres,
  waitFor,
} from './processes';

jest.setTimeout(600_000);

/** The machine's Redis, as the README's test command leaves it running. */
const REDIS = 'redis://127.0.0.1:6379';
const SYNC_EVERY_S = 3;
const LIFECYCLE_EVERY_S = 2;
/** Long enough for about 15 runs of the lifecycle task and 10 of the deployment sync. */
const TASK_WINDOW_S = 30;
// eslint-disable-next-line no-restricted-syntax
const repoRoot = path.resolve(__dirname, '../../../..');

/**
 * Two processes of the real backend on one PostgreSQL, with the cache on Redis, as a deployment
 * with two replicas behind a load balancer runs them.
 */
describe('two backend replicas on one PostgreSQL and Redis', () => {
  const run = `tem_replicas_${process.pid}_${Date.now()}`;
  let postgres: RunningPostgres;
  let fakeCi: ChildProcess;
  let fakeCiUrl: string;
  const replicas: RunningBackend[] = [];
  let token: string;

  const call = (
    replica: RunningBackend,
    method: string,
    route: string,
    body?: object,
  ) => replica.environmentsApi(token, method, route, body);
  const slot = (env: string, startMs: number, minutes: number) => ({
    environmentRef: `resource:default/${env}`,
    start: new Date(startMs).toISOString(),
    end: new Date(startMs + minutes * 60_000).toISOString(),
    title: 'Replica test',
    purpose: 'testing',
  });
  /** Requests the fake CI server has had for paths starting with `prefix`. */
  const upstreamRequests = async (prefix: string): Promise<number> => {
    const byPath: Record<string, number> = await (
      await fetch(`${fakeCiUrl}/stats/paths`)
    ).json();
    return Object.entries(byPath)
      .filter(([requested]) => requested.startsWith(prefix))
      .reduce((sum, [, count]) => sum + count, 0);
  };

  beforeAll(async () => {
    // A PostgreSQL server of the test's own: two whole backends open many connections, which
    // must not starve the other suites sharing the machine's server.
    postgres = await startPostgres();
    const ciPort = await freePort();
    fakeCiUrl = `http://127.0.0.1:${ciPort}`;
    fakeCi = spawn(
      process.execPath,
      [
        '--experimental-strip-types',
        '--disable-warning=MODULE_TYPELESS_PACKAGE_JSON',
        'scripts/fake-ci-server.mjs',
        String(ciPort),
      ],
      { cwd: repoRoot, stdio: 'ignore' },
    );
    await waitFor(
      'fake CI server',
      async () => (await fetch(`${fakeCiUrl}/ready`)).ok,
      60_000,
    );

    const config = {
      backend: {
        database: postgresDatabase(postgres.port, `${run}_`),
        cache: {
          store: 'redis',
          connection: REDIS,
          // Keys of this run only, so nothing cached by an earlier run is read.
          redis: { client: { namespace: run } },
        },
      },
      integrations: {
        github: [
          {
            host: 'github.com',
            apiBaseUrl: `${fakeCiUrl}/github`,
            token: 'replica-token',
          },
        ],
        gitlab: [
          {
            host: 'gitlab.com',
            apiBaseUrl: `${fakeCiUrl}/gitlab/api/v4`,
            token: 'replica-token',
          },
        ],
      },
      environments: {
        jenkins: {
          instances: [
            {
              name: 'default',
              baseUrl: `${fakeCiUrl}/jenkins`,
              username: 'replica',
              apiKey: 'replica-token',
            },
          ],
        },
        bookingLifecycle: {
          schedule: {
            frequency: { seconds: LIFECYCLE_EVERY_S },
            timeout: { seconds: 30 },
          },
        },
        pipelines: {
          deploymentSync: {
            schedule: {
              frequency: { seconds: SYNC_EVERY_S },
              timeout: { seconds: 30 },
              initialDelay: { seconds: 1 },
            },
          },
        },
      },
    };
    // One after the other, as a rollout starts them: both run the migrations otherwise at once.
    replicas.push(await startBackend(config));
    replicas.push(await startBackend(config));
    token = await replicas[0].token();
    for (const replica of replicas) {
      await replica.environmentReady('default/dev-shared', token);
      await replica.environmentReady('default/checkout-qa-2', token);
    }
  });

  afterAll(async () => {
    await Promise.all(replicas.map(r => r.stop()));
    fakeCi?.kill();
    postgres?.remove();
  });

  it('shows the bookings made through either replica on both', async () => {
    const [a, b] = replicas;
    const start = Date.now() + 3 * 24 * 3600_000;
    const viaA = await call(
      a,
      'POST',
      '/bookings',
      slot('discovery-qa', start, 60),
    );
    const viaB = await call(
      b,
      'POST',
      '/bookings',
      slot('discovery-qa', start + 3600_000, 60),
    );
    expect([viaA.status, viaB.status]).toEqual([201, 201]);

    for (const replica of replicas) {
      const listed = await call(
        replica,
        'GET',
        '/bookings?environmentRef=resource:default/discovery-qa',
      );
      expect(listed.body.items.map((i: { id: string }) => i.id).sort()).toEqual(
        [viaA.body.id, viaB.body.id].sort(),
      );
    }
  });

  it('lets exactly one of 40 conflicting creates split across the replicas win', async () => {
    const start = Date.now() + 5 * 24 * 3600_000;
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        call(
          replicas[i % 2],
          'POST',
          '/bookings',
          slot('checkout-qa-2', start, 60),
        ),
      ),
    );
    const statuses = answers.map(a => a.status);
    expect(statuses.filter(s => s === 201)).toHaveLength(1);
    expect(statuses.filter(s => s === 409)).toHaveLength(39);
  });

  it('serves what one replica fetched from CI to the other from the shared cache', async () => {
    const [a, b] = replicas;
    const ref = 'component:default/search-api';
    // The runs the view reads; the deployment sync running meanwhile asks for other paths.
    const runs = () =>
      upstreamRequests('/github/repos/acme/search-api/actions/');
    const before = await runs();
    const first = await call(a, 'GET', `/pipelines?entityRef=${ref}`);
    const afterA = await runs();
    const second = await call(b, 'GET', `/pipelines?entityRef=${ref}`);
    const afterB = await runs();

    expect(first.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect(afterA).toBeGreaterThan(before);
    expect(afterB).toBe(afterA);
  });

  it('runs each scheduled task once per interval across both replicas, with its effects once', async () => {
    // Bookings ending within the reminder time, made through both replicas.
    const now = Date.now();
    const reminded = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        call(
          replicas[i % 2],
          'POST',
          '/bookings',
          slot('dev-shared', now, 20 + i),
        ),
      ),
    );
    expect(reminded.map(r => r.status)).toEqual([201, 201, 201, 201, 201]);

    // Each replica's scheduler says when a task last finished; polled much more often than
    // the tasks run, the distinct end times over both replicas are the runs. A task run by
    // each replica would show about twice as many as one run per interval.
    const tasksEvery: Record<string, number> = {
      'environments-booking-lifecycle': LIFECYCLE_EVERY_S,
      'environments-deployment-sync': SYNC_EVERY_S,
    };
    const ends = new Map(Object.keys(tasksEvery).map(id => [id, new Set()]));
    const deadline = Date.now() + TASK_WINDOW_S * 1000;
    while (Date.now() < deadline) {
      for (const replica of replicas) {
        const { tasks } = await (
          await fetch(
            `${replica.url}/api/environments/.backstage/scheduler/v1/tasks`,
            { headers: { Authorization: `Bearer ${token}` } },
          )
        ).json();
        for (const task of tasks) {
          if (task.taskState?.lastRunEndedAt) {
            ends.get(task.taskId)?.add(task.taskState.lastRunEndedAt);
          }
        }
      }
      await new Promise(r => setTimeout(r, 200));
    }
    for (const [taskId, everyS] of Object.entries(tasksEvery)) {
      const runs = ends.get(taskId)!.size;
      // The figure of the run, for the CI log.
      console.log(
        `replicas: ${taskId} ran ${runs} times in ${TASK_WINDOW_S} s (every ${everyS} s) across 2 replicas`,
      );
      // Starts are at least an interval apart; ends, which are what is seen, vary with the
      // length of each run, so allow a few more than one per interval, far from twice as many.
      expect(runs).toBeGreaterThanOrEqual(2);
      expect(runs).toBeLessThanOrEqual(TASK_WINDOW_S / everyS + 3);
    }

    // Its effect: each holder was reminded once, whichever replica ran the task.
    const notifications = psql(
      postgres.port,
      `${run}_notifications`,
      "SELECT count(*) FROM notification WHERE title LIKE 'Your booking of resource:default/dev-shared ends soon'",
    );
    expect(Number(notifications)).toBe(5);
  });
});
