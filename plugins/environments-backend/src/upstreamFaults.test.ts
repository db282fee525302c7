import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import githubModule from '@internal/plugin-environments-backend-module-github';
import {
  fakeGithub,
  FakeRepository,
} from '@internal/plugin-environments-backend-module-github/testUtils';
import gitlabModule from '@internal/plugin-environments-backend-module-gitlab';
import {
  fakeGitlab,
  FakeProject,
} from '@internal/plugin-environments-backend-module-gitlab/testUtils';
import jenkinsModule from '@internal/plugin-environments-backend-module-jenkins';
import {
  fakeJenkins,
  FakeJob,
} from '@internal/plugin-environments-backend-module-jenkins/testUtils';
import prometheusModule from '@internal/plugin-environments-backend-module-prometheus';
import {
  incidentFixture,
  RunningPrometheus,
  startPrometheus,
} from '@internal/plugin-environments-backend-module-prometheus/testUtils';
import { Knex } from 'knex';
import http from 'node:http';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import {
  createTestDatabases,
  supportedDatabases,
  TEST_DATABASE_IDS,
} from './__testUtils__/databases';
import {
  Fault,
  FAULTS,
  fakeHeaders,
  FaultyUpstream,
  sendJson,
} from './__testUtils__/faultyUpstream';
import { environmentsPlugin } from './plugin';

jest.setTimeout(180_000);

/** The timeout every upstream is configured with. */
const TIMEOUT_MS = 500;
/** No answer of the plugin may take longer than this, whatever the upstream does. */
const ANSWER_BOUND_MS = 4_000;
/** Longer than every cache's freshness: the next view asks the upstream again. */
const PAST_FRESHNESS_MS = 2 * 60_000;

// The plugin's caches judge freshness by Date.now(); the tests move it forward instead of
// waiting. Timers (and so every timeout) keep real time.
const realNow = Date.now.bind(Date);
let clockOffset = 0;
const advanceClock = (ms: number) => {
  clockOffset += ms;
};

async function timed<T>(work: () => PromiseLike<T>): Promise<[T, number]> {
  const start = performance.now();
  const result = await work();
  return [result, performance.now() - start];
}

/** Polls until `check` passes on what `read` returns, for at most `ms`. */
async function eventually<T>(
  read: () => Promise<T>,
  check: (value: T) => boolean,
  ms = 5_000,
): Promise<T> {
  const until = performance.now() + ms;
  for (;;) {
    const value = await read();
    if (check(value) || performance.now() > until) return value;
    await new Promise(resolve => setTimeout(resolve, 50));
  }
}

const HOST = String.raw`127\.0\.0\.1:\d+`;
/** Why a CI provider failed, as the per-source status must say it. */
const ciReasons: Record<Exclude<Fault, 'wrong-shape'>, RegExp> = {
  refused: new RegExp(`^${HOST} could not be reached \\(ECONNREFUSED\\)$`),
  slow: new RegExp(`^${HOST} did not answer within ${TIMEOUT_MS} ms$`),
  'slow-body': new RegExp(`^${HOST} did not answer within ${TIMEOUT_MS} ms$`),
  'http-500': new RegExp(`^${HOST} answered 500$`),
  'http-429': new RegExp(`^${HOST} is rate-limited until \\d{4}-`),
  'truncated-json': new RegExp(
    `^${HOST} answered with a body that is not JSON$`,
  ),
  'html-200': new RegExp(`^${HOST} answered with a body that is not JSON$`),
};
/** Why Prometheus failed, as the SLO's source status must say it. */
const prometheusReasons: Record<Fault, RegExp> = {
  refused: new RegExp(
    `^Prometheus query failed: ${HOST} could not be reached \\(ECONNREFUSED\\)$`,
  ),
  slow: new RegExp(
    `^Prometheus query failed: no answer within ${TIMEOUT_MS} ms$`,
  ),
  'slow-body': new RegExp(
    `^Prometheus query failed: no complete answer within ${TIMEOUT_MS} ms$`,
  ),
  'http-500': /^Prometheus answered 500\b/,
  'http-429': /^Prometheus answered 429\b/,
  'truncated-json': /^Prometheus answered 200 with a body that is not JSON$/,
  'html-200': /^Prometheus answered 200 with a body that is not JSON$/,
  'wrong-shape': /^Prometheus answered with an unexpected result shape$/,
};

const now = Date.now();
const ago = (minutes: number) =>
  new Date(now - minutes * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');

const githubRepository: FakeRepository = {
  owner: 'acme',
  repo: 'payments-api',
  defaultBranch: 'main',
  runs: [11, 12].map(id => ({
    id,
    workflow: 'CI',
    branch: id === 11 ? 'main' : 'feature/wallets',
    sha: String(id).repeat(20),
    message: `Change ${id}`,
    event: 'push',
    actor: 'alice',
    status: 'completed' as const,
    conclusion: 'success' as const,
    createdAt: ago(100 - id),
    minutes: 5,
    jobs: [{ name: 'build', conclusion: 'success' as const }],
  })),
  deployments: [
    {
      id: 301,
      environment: 'production',
      ref: 'v1.3.2',
      sha: 'a'.repeat(40),
      version: '1.3.2',
      creator: 'bob',
      createdAt: ago(3000),
      state: 'success',
    },
    {
      id: 302,
      environment: 'staging',
      ref: 'v1.4.0',
      sha: 'b'.repeat(40),
      version: '1.4.0',
      creator: 'alice',
      createdAt: ago(100),
      state: 'success',
    },
  ],
};

const gitlabProject: FakeProject = {
  id: 4242,
  path: 'acme/payments-api',
  defaultBranch: 'main',
  pipelines: [1, 2].map(id => ({
    id,
    ref: 'main',
    sha: String(id).repeat(40),
    status: 'success' as const,
    source: 'push',
    user: 'dana',
    createdAt: ago(200 - id),
    minutes: 8,
    jobs: [{ name: 'unit', stage: 'test', status: 'success' as const }],
  })),
  deployments: [
    {
      id: 901,
      environment: 'staging',
      ref: 'main',
      sha: 'f'.repeat(40),
      status: 'success',
      user: 'dana',
      createdAt: ago(90),
      pipelineId: 2,
    },
  ],
};

const jenkinsJobs: FakeJob[] = [
  {
    fullName: 'payments/payments-api',
    builds: [7, 8].map(number => ({
      number,
      result: 'SUCCESS' as const,
      building: false,
      timestamp: now - (300 - number) * 60_000,
      durationMs: 5 * 60_000,
      sha: String(number).repeat(40),
      user: 'erin',
      parameters: { ENVIRONMENT: 'production', VERSION: `1.${number}.0` },
      stages: [{ name: 'Deploy', status: 'SUCCESS' as const }],
    })),
  },
];

const environment = (name: string, tier: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name,
    namespace: 'default',
    annotations: { 'tem.dev/tier': tier },
  },
  spec: { type: 'environment', owner: 'group:default/platform-team' },
  relations: [{ type: 'partOf', targetRef: 'system:default/checkout' }],
});

const ENTITY = 'component:default/payments-api';
const PROVIDERS = ['github', 'gitlab', 'jenkins'] as const;
type Provider = (typeof PROVIDERS)[number];

/** Why a provider failed, as its per-source status must say it. */
function ciReason(provider: Provider, fault: Fault): RegExp {
  if (fault !== 'wrong-shape') return ciReasons[fault];
  // Jenkins checks its answers are Jenkins objects; the others fail reading them.
  return provider === 'jenkins'
    ? new RegExp(`^${HOST} answered with JSON that is not a Jenkins job$`)
    : new RegExp(`^${provider} answered with data of an unexpected shape \\(`);
}

describe('CI provider faults', () => {
  const databases = createTestDatabases();

  it('runs on PostgreSQL 15 and SQLite', () => {
    expect(supportedDatabases(databases)).toEqual(TEST_DATABASE_IDS);
  });

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let knex: Knex;
    let backend: Awaited<ReturnType<typeof startTestBackend>>;
    const scheduler = mockServices.scheduler();
    const upstreams: Record<Provider, FaultyUpstream> = {
      github: new FaultyUpstream((req, res) => {
        const url = new URL(req.url!, 'http://github');
        sendJson(
          res,
          fakeGithub([githubRepository], {
            method: req.method!,
            path: url.pathname,
            query: url.searchParams,
            headers: fakeHeaders(req),
          }),
        );
      }),
      gitlab: new FaultyUpstream((req, res) => {
        const url = new URL(req.url!, 'http://gitlab');
        // GitLab takes the project path URL-encoded in one segment: keep it as sent.
        sendJson(
          res,
          fakeGitlab([gitlabProject], {
            method: req.method!,
            path: req.url!.split('?')[0].slice('/api/v4'.length),
            query: url.searchParams,
            headers: fakeHeaders(req),
          }),
        );
      }),
      jenkins: new FaultyUpstream((req, res) => {
        sendJson(
          res,
          fakeJenkins(upstreams.jenkins.url, jenkinsJobs, {
            method: req.method!,
            path: new URL(req.url!, 'http://jenkins').pathname,
            headers: fakeHeaders(req),
          }),
        );
      }),
    };

    const get = (url: string) =>
      request(backend.server)
        .get(`/api/environments${url}`)
        .set('Authorization', mockCredentials.user.header());
    const summary = async () => {
      const res = await get(`/pipelines?entityRef=${ENTITY}`);
      expect(res.status).toBe(200);
      return new Map<string, any>(
        res.body.providers.map((p: any) => [p.provider, p]),
      );
    };
    const rows = () => knex('deployments').select().orderBy('id');
    const syncDeployments = () =>
      scheduler.triggerTask('environments-deployment-sync');

    beforeAll(async () => {
      jest.spyOn(Date, 'now').mockImplementation(() => realNow() + clockOffset);
      knex = await databases.init(databaseId);
      await Promise.all(PROVIDERS.map(p => upstreams[p].start()));
      backend = await startTestBackend({
        features: [
          environmentsPlugin,
          githubModule,
          gitlabModule,
          jenkinsModule,
          mockServices.database.factory({ knex }),
          createServiceFactory({
            service: coreServices.scheduler,
            deps: {},
            factory: () => scheduler,
          }),
          catalogServiceMock.factory({
            entities: [
              {
                apiVersion: 'backstage.io/v1alpha1',
                kind: 'Component',
                metadata: {
                  name: 'payments-api',
                  namespace: 'default',
                  annotations: {
                    'github.com/project-slug': 'acme/payments-api',
                    'gitlab.com/project-slug': 'acme/payments-api',
                    'jenkins.io/job-full-name': 'payments/payments-api',
                  },
                },
                spec: {
                  type: 'service',
                  owner: 'group:default/payments',
                  system: 'checkout',
                },
                relations: [
                  { type: 'partOf', targetRef: 'system:default/checkout' },
                ],
              },
              environment('checkout-staging', 'staging'),
              environment('prod-eu', 'prod'),
            ],
          }),
          mockServices.httpAuth.factory({
            defaultCredentials: mockCredentials.none(),
          }),
          mockServices.rootConfig.factory({
            data: {
              integrations: {
                github: [
                  {
                    host: 'github.com',
                    apiBaseUrl: upstreams.github.url,
                    token: 'ghp_server',
                  },
                ],
                gitlab: [
                  {
                    host: 'gitlab.com',
                    apiBaseUrl: `${upstreams.gitlab.url}/api/v4`,
                    token: 'glpat-server',
                  },
                ],
              },
              environments: {
                github: { timeoutMs: TIMEOUT_MS },
                gitlab: { timeoutMs: TIMEOUT_MS },
                jenkins: {
                  timeoutMs: TIMEOUT_MS,
                  instances: [
                    {
                      name: 'default',
                      baseUrl: upstreams.jenkins.url,
                      username: 'backstage',
                      apiKey: 'jenkins-secret',
                    },
                  ],
                },
              },
            },
          }),
        ],
      });
      await syncDeployments();
    });
    afterAll(async () => {
      await backend?.stop();
      await Promise.all(PROVIDERS.map(p => upstreams[p].stop()));
      await knex?.destroy();
      jest.restoreAllMocks();
    });

    it('reads every provider while they are up', async () => {
      const providers = await summary();
      for (const provider of PROVIDERS) {
        expect(providers.get(provider)).toMatchObject({ status: 'ok' });
        expect(providers.get(provider).latest.length).toBeGreaterThan(0);
      }
      const stored = await rows();
      expect(stored.map(row => row.provider).sort()).toEqual([
        'github',
        'github',
        'gitlab',
        'jenkins',
        'jenkins',
      ]);
      const deployments = await get(`/deployments?entityRef=${ENTITY}`);
      expect(
        deployments.body.sync.map((s: any) => [s.provider, s.status]),
      ).toEqual(PROVIDERS.map(p => [p, 'ok']));
    });

    const cells = PROVIDERS.flatMap(provider =>
      FAULTS.map(fault => [provider, fault] as const),
    );
    let page = 0;
    it.each(cells)(
      '%s %s: 200 with the reason, stale data kept, no table damage',
      async (provider, fault) => {
        // Every source up and fresh again: the previous cell's fault is over.
        await Promise.all(PROVIDERS.map(p => upstreams[p].set(undefined)));
        advanceClock(PAST_FRESHNESS_MS);
        await summary();
        const known = await eventually(summary, providers =>
          PROVIDERS.every(p => providers.get(p).status === 'ok'),
        );
        expect(PROVIDERS.map(p => known.get(p).status)).toEqual(
          PROVIDERS.map(() => 'ok'),
        );

        await upstreams[provider].set(fault);
        advanceClock(PAST_FRESHNESS_MS);

        // The run list: known runs stay, marked stale with the reason; the others are fine.
        const [first, firstMs] = await timed(() => summary());
        expect(firstMs).toBeLessThan(ANSWER_BOUND_MS);
        expect(first.get(provider).latest).toEqual(known.get(provider).latest);
        const stale = await eventually(
          summary,
          providers => providers.get(provider).status !== 'ok',
        );
        expect(stale.get(provider)).toMatchObject({
          provider,
          status: 'stale',
          reason: expect.stringMatching(ciReason(provider, fault)),
          latest: known.get(provider).latest,
        });
        for (const other of PROVIDERS.filter(p => p !== provider)) {
          expect(stale.get(other).status).toBe('ok');
        }

        // A page never loaded before: nothing to show, and why, still a 200.
        page += 1;
        const [unknown, unknownMs] = await timed(() =>
          get(
            `/pipelines/runs?entityRef=${ENTITY}&provider=${provider}&limit=${
              20 + page
            }`,
          ),
        );
        expect(unknownMs).toBeLessThan(ANSWER_BOUND_MS);
        expect(unknown.status).toBe(200);
        expect(unknown.body).toMatchObject({
          source: {
            provider,
            status: 'unavailable',
            reason: expect.stringMatching(ciReason(provider, fault)),
          },
          items: [],
        });

        // The deployment sync: the failing provider's rows stay as they were, the others
        // are synced; no row is lost and none is added.
        const before = await rows();
        const [, syncMs] = await timed(syncDeployments);
        expect(syncMs).toBeLessThan(ANSWER_BOUND_MS);
        const after = await rows();
        const withoutSyncTime = (list: any[]) =>
          list.map(({ synced_at: _, ...row }) => row);
        expect(withoutSyncTime(after)).toEqual(withoutSyncTime(before));
        expect(after.filter(row => row.provider === provider)).toEqual(
          before.filter(row => row.provider === provider),
        );
        const deployments = await get(`/deployments?entityRef=${ENTITY}`);
        expect(deployments.status).toBe(200);
        const sync = new Map<string, any>(
          deployments.body.sync.map((s: any) => [s.provider, s]),
        );
        expect(sync.get(provider)).toMatchObject({
          status: 'stale',
          reason: expect.stringMatching(ciReason(provider, fault)),
          asOf: expect.any(String),
        });
        for (const other of PROVIDERS.filter(p => p !== provider)) {
          expect(sync.get(other).status).toBe('ok');
        }
        expect(deployments.body.items).toHaveLength(before.length);
        // The system's version map still answers, naming the sync that failed.
        const map = await get(
          '/deployments/map?systemRef=system:default/checkout',
        );
        expect(map.status).toBe(200);
        expect(map.body.failedSyncs).toEqual([
          expect.objectContaining({
            entityRef: ENTITY,
            provider,
            status: 'stale',
            reason: expect.stringMatching(ciReason(provider, fault)),
          }),
        ]);
      },
    );

    it('stores nothing of a sync that fails half-way, and all of it once it works', async () => {
      await upstreams.github.set(undefined);
      const newDeployment = {
        ...githubRepository.deployments[1],
        id: 303,
        version: '1.5.0',
        createdAt: ago(10),
      };
      githubRepository.deployments.push(newDeployment);
      try {
        const before = await rows();
        // The list of deployments arrives, the status of each does not.
        upstreams.github.failAfter(1, 'http-500');
        await syncDeployments();
        expect(await rows()).toHaveLength(before.length);
        expect((await rows()).filter(row => row.provider === 'github')).toEqual(
          before.filter(row => row.provider === 'github'),
        );

        await upstreams.github.set(undefined);
        await syncDeployments();
        expect(
          (await rows())
            .filter(row => row.provider === 'github')
            .map(row => row.external_id)
            .sort(),
        ).toEqual([
          'github.com/acme/payments-api/301',
          'github.com/acme/payments-api/302',
          'github.com/acme/payments-api/303',
        ]);
      } finally {
        githubRepository.deployments.pop();
        await knex('deployments')
          .where({ external_id: 'github.com/acme/payments-api/303' })
          .delete();
      }
    });

    it('honours a short Retry-After: waits, asks again and answers', async () => {
      const github = upstreams.github;
      await github.set(undefined);
      // Whatever an earlier test left in the cache is old now: this view must ask GitHub.
      advanceClock(PAST_FRESHNESS_MS);
      github.rateLimitNext(1, 1);
      const requestsBefore = github.requests;
      const [res, ms] = await timed(() =>
        get(`/pipelines/runs?entityRef=${ENTITY}&provider=github&limit=99`),
      );
      expect(res.body.source).toMatchObject({
        provider: 'github',
        status: 'ok',
      });
      expect(res.body.items).toHaveLength(2);
      expect(ms).toBeGreaterThanOrEqual(1_000);
      expect(github.requests - requestsBefore).toBe(2);
    });
  });
});

const SLO = `apiVersion: openslo/v1
kind: SLO
metadata:
  name: availability
  annotations:
    tem.dev/environment-label: env
spec:
  indicator:
    spec:
      ratioMetric:
        bad: { metricSource: { type: prometheus, spec: { query: 'http_requests_total{job="checkout",code=~"5.."}' } } }
        total: { metricSource: { type: prometheus, spec: { query: 'http_requests_total{job="checkout"}' } } }
  timeWindow:
    - { duration: 30d, isRolling: true }
  budgetingMethod: Occurrences
  objectives:
    - { target: 0.999 }
`;

describe('Prometheus faults', () => {
  let prometheus: RunningPrometheus;
  let dir: string;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  // Passes requests through to the real Prometheus while up.
  const upstream = new FaultyUpstream((req, res) => {
    const forwarded = http.request(
      `${prometheus.url}${req.url}`,
      { method: req.method, headers: req.headers },
      answer => {
        res.writeHead(answer.statusCode!, answer.headers);
        answer.pipe(res);
      },
    );
    forwarded.on('error', () => res.destroy());
    req.pipe(forwarded);
  });
  const slo = async (environmentName: string) => {
    const res = await request(backend.server)
      .get('/api/environments/slos')
      .query({
        entityRef: 'component:default/checkout',
        environment: environmentName,
      })
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(1);
    return res.body.items[0];
  };

  beforeAll(async () => {
    jest.spyOn(Date, 'now').mockImplementation(() => realNow() + clockOffset);
    const minutes = 24 * 60;
    const end = Math.floor(realNow() / 60_000) * 60;
    [prometheus, dir] = await Promise.all([
      startPrometheus(
        incidentFixture({
          startSeconds: end - minutes * 60,
          minutes,
          environments: { incident: 'checkout-staging', quiet: 'checkout-qa' },
        }),
      ),
      fs.mkdtemp(path.join(os.tmpdir(), 'tem-slo-faults-')),
      upstream.start(),
    ]);
    await fs.writeFile(path.join(dir, 'availability.yaml'), SLO);
    backend = await startTestBackend({
      features: [
        environmentsPlugin,
        prometheusModule,
        catalogServiceMock.factory({
          entities: [
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Component',
              metadata: {
                name: 'checkout',
                namespace: 'default',
                annotations: {
                  'backstage.io/managed-by-location': `file:${dir}/catalog-info.yaml`,
                  'openslo.dev/slo-files': 'availability.yaml',
                },
              },
              spec: {
                type: 'service',
                owner: 'group:default/payments',
                system: 'checkout',
              },
              relations: [
                { type: 'partOf', targetRef: 'system:default/checkout' },
              ],
            },
            environment('checkout-staging', 'staging'),
            environment('checkout-qa', 'test'),
          ],
        }),
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        mockServices.rootConfig.factory({
          data: {
            environments: {
              prometheus: { baseUrl: upstream.url, timeoutMs: TIMEOUT_MS },
            },
          },
        }),
      ],
    });
  });
  afterAll(async () => {
    await backend?.stop();
    await upstream.stop();
    await prometheus?.stop();
    if (dir) await fs.rm(dir, { recursive: true, force: true });
    jest.restoreAllMocks();
  });

  it.each(FAULTS)(
    '%s: 200 with the reason, the last known values kept',
    async fault => {
      await upstream.set(undefined);
      advanceClock(PAST_FRESHNESS_MS);
      const known = await slo('checkout-staging');
      expect(known.source).toMatchObject({ status: 'ok' });
      expect(known.objectives[0].budgetRemaining).toBeLessThan(1);

      await upstream.set(fault);
      advanceClock(PAST_FRESHNESS_MS);
      const [stale, staleMs] = await timed(() => slo('checkout-staging'));
      expect(staleMs).toBeLessThan(ANSWER_BOUND_MS);
      expect(stale.source).toMatchObject({
        type: 'prometheus',
        status: 'stale',
        asOf: known.source.asOf,
        reason: expect.stringMatching(prometheusReasons[fault]),
      });
      expect(stale.objectives).toEqual(known.objectives);

      // Never evaluated while Prometheus was up: no numbers, and why.
      const [unknown, unknownMs] = await timed(() => slo('checkout-qa'));
      expect(unknownMs).toBeLessThan(ANSWER_BOUND_MS);
      expect(unknown).toMatchObject({
        status: 'no-data',
        objectives: [],
        source: {
          status: 'unavailable',
          reason: expect.stringMatching(prometheusReasons[fault]),
        },
      });
    },
  );

  it('leaves a failing Prometheus alone for a while instead of asking on every view', async () => {
    await upstream.set(undefined);
    advanceClock(PAST_FRESHNESS_MS);
    const known = await slo('checkout-staging');
    expect(known.source).toMatchObject({ status: 'ok', queries: 2 });

    await upstream.set('http-429');
    advanceClock(PAST_FRESHNESS_MS);
    const before = upstream.requests;
    const views = await Promise.all(
      Array.from({ length: 5 }, () => slo('checkout-staging')),
    );
    for (let i = 0; i < 5; i++) views.push(await slo('checkout-staging'));
    expect(views.map(view => view.source.status)).toEqual(
      views.map(() => 'stale'),
    );
    // One evaluation's queries, not one per view.
    expect(upstream.requests - before).toBe(known.source.queries);

    // Half a minute later it is asked again, and answers again once it is back.
    await upstream.set(undefined);
    advanceClock(31_000);
    expect((await slo('checkout-staging')).source.status).toBe('ok');
  });
});
