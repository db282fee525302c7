import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  registerMswTestHooks,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import githubModule from '@internal/plugin-environments-backend-module-github';
import {
  fakeGithub,
  FakeRepository,
} from '@internal/plugin-environments-backend-module-github/testUtils';
import { delay, http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import request from 'supertest';
import { environmentsPlugin } from './plugin';

jest.setTimeout(60_000);

const now = Date.now();
const ago = (minutes: number) =>
  new Date(now - minutes * 60_000).toISOString().replace('.000', '');

const repository: FakeRepository = {
  owner: 'acme',
  repo: 'payments-api',
  defaultBranch: 'main',
  runs: [
    {
      id: 11,
      workflow: 'CI',
      branch: 'main',
      sha: 'a'.repeat(40),
      message: 'Faster tokenisation',
      event: 'push',
      actor: 'alice',
      status: 'completed',
      conclusion: 'success',
      createdAt: ago(120),
      minutes: 6,
      jobs: [{ name: 'build', conclusion: 'success' }],
    },
    {
      id: 12,
      workflow: 'CI',
      branch: 'main',
      sha: 'b'.repeat(40),
      message: 'Retry declined cards',
      event: 'push',
      actor: 'bob',
      status: 'completed',
      conclusion: 'failure',
      createdAt: ago(60),
      minutes: 4,
      jobs: [{ name: 'build', conclusion: 'failure' }],
    },
    {
      id: 13,
      workflow: 'CI',
      branch: 'feature/wallets',
      sha: 'c'.repeat(40),
      message: 'Wallet support',
      event: 'pull_request',
      actor: 'carol',
      status: 'completed',
      conclusion: 'success',
      createdAt: ago(30),
      minutes: 5,
      jobs: [{ name: 'build', conclusion: 'success' }],
    },
  ],
  deployments: [
    {
      id: 301,
      environment: 'production',
      ref: 'v1.3.2',
      sha: 'a'.repeat(40),
      version: '1.3.2',
      creator: 'bob',
      createdAt: ago(3000),
      state: 'inactive',
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
    {
      id: 303,
      environment: 'preview-77',
      ref: 'feature/wallets',
      sha: 'c'.repeat(40),
      creator: 'carol',
      createdAt: ago(20),
      state: 'success',
    },
  ],
};

// GitHub as the module sees it; `mode` breaks it on purpose.
let mode: 'up' | 'slow' | 'rate-limited' = 'up';
let upstreamCalls = 0;
const server = setupServer(
  http.all('https://api.github.com/*', async ({ request: req }) => {
    upstreamCalls += 1;
    if (mode === 'slow') {
      await delay(3000);
    }
    if (mode === 'rate-limited') {
      return HttpResponse.json(
        { message: 'API rate limit exceeded' },
        {
          status: 403,
          headers: {
            'x-ratelimit-remaining': '0',
            'x-ratelimit-reset': String(Math.floor(now / 1000) + 3600),
          },
        },
      );
    }
    const url = new URL(req.url);
    const answer = fakeGithub([repository], {
      method: req.method,
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
    });
    return answer.body === undefined
      ? new HttpResponse(null, {
          status: answer.status,
          headers: answer.headers,
        })
      : HttpResponse.json(answer.body as object, {
          status: answer.status,
          headers: answer.headers,
        });
  }),
);
registerMswTestHooks(server);

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
const entities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'payments-api',
      namespace: 'default',
      annotations: { 'github.com/project-slug': 'acme/payments-api' },
    },
    spec: {
      type: 'service',
      owner: 'group:default/payments',
      system: 'checkout',
    },
    relations: [{ type: 'partOf', targetRef: 'system:default/checkout' }],
  },
  environment('checkout-staging', 'staging'),
  environment('prod-eu', 'prod'),
];

const rerunner = 'user:default/release-manager';
const permissionsFactory = createServiceFactory({
  service: coreServices.permissions,
  deps: {},
  factory: () => ({
    async authorize(requests: any[], options: any) {
      const allowed = options.credentials.principal.userEntityRef === rerunner;
      return requests.map(() => ({
        result: allowed ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
      }));
    },
    async authorizeConditional(requests: any[]) {
      return requests.map(() => ({ result: AuthorizeResult.ALLOW }));
    },
  }),
});

describe('pipelines API', () => {
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  const user = mockCredentials.user.header();
  const get = (url: string) =>
    request(backend.server)
      .get(`/api/environments${url}`)
      .set('Authorization', user);

  beforeAll(async () => {
    backend = await startTestBackend({
      features: [
        environmentsPlugin,
        githubModule,
        catalogServiceMock.factory({ entities }),
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        permissionsFactory,
        mockServices.rootConfig.factory({
          data: {
            integrations: {
              github: [{ host: 'github.com', token: 'ghp_server' }],
            },
            environments: {
              github: { timeoutMs: 500 },
              pipelines: {
                allowRerun: true,
                // Without an initial delay the test scheduler runs the sync once, at start-up.
                deploymentSync: {
                  schedule: {
                    frequency: { minutes: 10 },
                    timeout: { seconds: 30 },
                  },
                },
              },
            },
          },
        }),
      ],
    });
  });
  afterAll(async () => {
    await backend?.stop();
  });
  beforeEach(() => {
    mode = 'up';
  });

  it('answers 50 concurrent viewers of one entity with one call to GitHub per question', async () => {
    upstreamCalls = 0;
    const answers = await Promise.all(
      Array.from({ length: 50 }, () =>
        get('/pipelines?entityRef=component:default/payments-api'),
      ),
    );
    expect(answers.every(a => a.status === 200)).toBe(true);
    // One for the default branch, one for the runs.
    expect(upstreamCalls).toBe(2);
    const [github] = answers[0].body.providers;
    expect(github).toMatchObject({
      provider: 'github',
      status: 'ok',
      defaultBranch: 'main',
    });
    // The latest run of each workflow and branch, the default branch first.
    expect(github.latest.map((r: any) => [r.id, r.branch, r.status])).toEqual([
      ['12', 'main', 'failed'],
      ['13', 'feature/wallets', 'succeeded'],
    ]);
  });

  it('pages the run history and shows one run with its jobs', async () => {
    const page = await get(
      '/pipelines/runs?entityRef=component:default/payments-api&provider=github&limit=2',
    );
    expect(page.status).toBe(200);
    expect(page.body.items.map((r: any) => r.id)).toEqual(['13', '12']);
    expect(page.body.nextCursor).toBe('2');
    const next = await get(
      `/pipelines/runs?entityRef=component:default/payments-api&provider=github&limit=2&cursor=${page.body.nextCursor}`,
    );
    expect(next.body.items.map((r: any) => r.id)).toEqual(['11']);

    const run = await get(
      '/pipelines/runs/github/12?entityRef=component:default/payments-api',
    );
    expect(run.body.run).toMatchObject({
      id: '12',
      status: 'failed',
      jobs: [{ name: 'build', status: 'failed' }],
    });
    expect(
      (
        await get(
          '/pipelines/runs/gitlab/12?entityRef=component:default/payments-api',
        )
      ).status,
    ).toBe(404);
    // A run GitHub does not know is a 404, a malformed cursor a 400.
    expect(
      (
        await get(
          '/pipelines/runs/github/99999?entityRef=component:default/payments-api',
        )
      ).status,
    ).toBe(404);
    expect(
      (
        await get(
          '/pipelines/runs?entityRef=component:default/payments-api&provider=github&cursor=abc',
        )
      ).status,
    ).toBe(400);
  });

  it('answers 200 with the reason when GitHub is slow, and keeps known runs while it is rate-limited', async () => {
    mode = 'slow';
    const entity = 'component:default/payments-api';
    // Nothing known about this page yet: unavailable, with the reason, still 200.
    const unknown = await get(
      `/pipelines/runs?entityRef=${entity}&provider=github&limit=7`,
    );
    expect(unknown.status).toBe(200);
    expect(unknown.body.source).toMatchObject({
      status: 'unavailable',
      reason: 'api.github.com did not answer within 500 ms',
    });

    mode = 'rate-limited';
    const known = await get(
      `/pipelines/runs?entityRef=${entity}&provider=github&limit=2`,
    );
    expect(known.status).toBe(200);
    expect(known.body.items).toHaveLength(2);
  });

  it('syncs deployments on schedule and maps versions to environments, with drift', async () => {
    const deployments = await get(
      '/deployments?entityRef=component:default/payments-api',
    );
    expect(deployments.body.sync).toEqual([
      expect.objectContaining({ provider: 'github', status: 'ok' }),
    ]);
    expect(
      deployments.body.items.map((d: any) => [
        d.id,
        d.environmentName,
        d.environmentRef,
        d.version,
        d.status,
      ]),
    ).toEqual([
      [
        'github.com/acme/payments-api/303',
        'preview-77',
        undefined,
        'feature/wallets',
        'succeeded',
      ],
      [
        'github.com/acme/payments-api/302',
        'staging',
        'resource:default/checkout-staging',
        '1.4.0',
        'succeeded',
      ],
      [
        'github.com/acme/payments-api/301',
        'production',
        'resource:default/prod-eu',
        '1.3.2',
        'succeeded',
      ],
    ]);

    expect(
      deployments.body.current.map((c: any) => [
        c.environmentRef,
        c.version,
        c.drift?.referenceVersion,
      ]),
    ).toEqual([
      ['resource:default/checkout-staging', '1.4.0', '1.3.2'],
      ['resource:default/prod-eu', '1.3.2', undefined],
    ]);

    const map = await get('/deployments/map?systemRef=system:default/checkout');
    expect(map.status).toBe(200);
    expect(map.body.components).toEqual([
      { entityRef: 'component:default/payments-api' },
    ]);
    expect(
      map.body.cells.map((c: any) => [
        c.environmentRef,
        c.version,
        c.drift?.referenceVersion,
      ]),
    ).toEqual([
      ['resource:default/checkout-staging', '1.4.0', '1.3.2'],
      ['resource:default/prod-eu', '1.3.2', undefined],
    ]);
    const staging = await get(
      '/deployments/map?environmentRef=resource:default/checkout-staging',
    );
    expect(staging.body.cells).toEqual([
      expect.objectContaining({
        version: '1.4.0',
        drift: expect.objectContaining({ referenceVersion: '1.3.2' }),
      }),
    ]);
    expect((await get('/deployments/map')).status).toBe(400);
  });

  it('re-runs only for those allowed to, and says why not', async () => {
    const rerun = (as: string) =>
      request(backend.server)
        .post('/api/environments/pipelines/runs/github/12/rerun')
        .set('Authorization', mockCredentials.user.header(as))
        .send({ entityRef: 'component:default/payments-api' });
    expect((await rerun(rerunner)).status).toBe(202);
    const refused = await rerun('user:default/mallory');
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toBe('You may not re-run pipelines');
  });
});
