import {
  mockCredentials,
  mockServices,
  registerMswTestHooks,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { loadConfigSchema } from '@backstage/config-loader';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import githubModule from '@internal/plugin-environments-backend-module-github';
import { fakeGithub } from '@internal/plugin-environments-backend-module-github/testUtils';
import gitlabModule from '@internal/plugin-environments-backend-module-gitlab';
import { fakeGitlab } from '@internal/plugin-environments-backend-module-gitlab/testUtils';
import jenkinsModule from '@internal/plugin-environments-backend-module-jenkins';
import { fakeJenkins } from '@internal/plugin-environments-backend-module-jenkins/testUtils';
import prometheusModule from '@internal/plugin-environments-backend-module-prometheus';
import { http, HttpResponse, passthrough } from 'msw';
import { setupServer } from 'msw/node';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import YAML from 'yaml';
import { environmentsPlugin } from './plugin';

jest.setTimeout(120_000);

// Every credential the configuration below holds, as configured and as sent on the wire.
const GITHUB_TOKEN = 'ghp_secretGithubToken0001';
const GITLAB_TOKEN = 'glpat-secretGitlabToken0002';
const JENKINS_API_KEY = 'secret-jenkins-api-key-0003';
const JENKINS_HEADER = 'secret-jenkins-header-0004';
const PROMETHEUS_TOKEN = 'secret-prometheus-token-0005';
const PROMETHEUS_HEADER = 'secret-prometheus-header-0006';
const SECRETS = [
  GITHUB_TOKEN,
  GITLAB_TOKEN,
  JENKINS_API_KEY,
  JENKINS_HEADER,
  PROMETHEUS_TOKEN,
  PROMETHEUS_HEADER,
  // Jenkins' basic authentication carries the key base64-encoded.
  Buffer.from(`ci-bot:${JENKINS_API_KEY}`).toString('base64'),
];

const JENKINS = 'https://jenkins.example.com';
const PROMETHEUS = 'https://prometheus.example.com';
/** Holds the component's SLO file. */
let dir: string;

const minutesAgo = (minutes: number) =>
  new Date(Date.now() - minutes * 60_000).toISOString().replace('.000', '');

/**
 * How the upstream systems behave: answer as the real ones do; refuse the request; fail. A
 * refusing or failing upstream puts the request's headers (the credentials) into its body, the
 * way a chatty proxy or a debug error page does, so nothing it says may be passed on verbatim.
 */
type Upstream = 'answering' | 'refusing' | 'failing' | 'unreachable';
let upstream: Upstream = 'answering';
/** The credentials the upstream systems received, to show the secrets were really used. */
const received = new Set<string>();
/** Every URL the upstream systems were asked for. */
const requested: URL[] = [];

function echoOf(headers: Headers): string {
  return [...headers.entries()].map(([k, v]) => `${k}: ${v}`).join('\n');
}

function misbehave(req: Request): Response | undefined {
  requested.push(new URL(req.url));
  for (const [, value] of req.headers.entries()) received.add(value);
  switch (upstream) {
    case 'refusing':
      return HttpResponse.json(
        {
          status: 'error',
          errorType: 'unauthorized',
          error: `rejected credentials\n${echoOf(req.headers)}`,
          message: `rejected credentials\n${echoOf(req.headers)}`,
        },
        { status: 401 },
      );
    case 'failing':
      return HttpResponse.json(
        {
          status: 'error',
          errorType: 'internal',
          error: `upstream crashed\n${echoOf(req.headers)}`,
        },
        { status: 503 },
      );
    case 'unreachable':
      return HttpResponse.error();
    default:
      return undefined;
  }
}

/** A fake's answer as an HTTP response. */
function answer(fake: {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}): Response {
  return fake.body === undefined
    ? new HttpResponse(null, { status: fake.status, headers: fake.headers })
    : HttpResponse.json(fake.body as object, {
        status: fake.status,
        headers: fake.headers,
      });
}

const build = {
  result: 'SUCCESS' as const,
  building: false,
  durationMs: 60_000,
  sha: 'c'.repeat(40),
  stages: [{ name: 'Build', status: 'SUCCESS' as const }],
};

const server = setupServer(
  // The test's own requests to the backend.
  http.all('http://127.0.0.1:*/*', () => passthrough()),
  http.all('https://api.github.com/*', ({ request: req }) => {
    const url = new URL(req.url);
    return (
      misbehave(req) ??
      answer(
        fakeGithub(
          [
            {
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
                  createdAt: minutesAgo(60),
                  minutes: 5,
                  jobs: [{ name: 'build', conclusion: 'success' }],
                },
              ],
              deployments: [
                {
                  id: 301,
                  environment: 'staging',
                  ref: 'v1.4.0',
                  sha: 'a'.repeat(40),
                  version: '1.4.0',
                  creator: 'alice',
                  createdAt: minutesAgo(30),
                  state: 'success',
                },
              ],
            },
          ],
          {
            method: req.method,
            path: url.pathname,
            query: url.searchParams,
            headers: req.headers,
          },
        ),
      )
    );
  }),
  http.all('https://gitlab.com/api/v4/*', ({ request: req }) => {
    const url = new URL(req.url);
    return (
      misbehave(req) ??
      answer(
        fakeGitlab(
          [
            {
              id: 42,
              path: 'acme/payments-api',
              defaultBranch: 'main',
              pipelines: [
                {
                  id: 901,
                  ref: 'main',
                  sha: 'b'.repeat(40),
                  status: 'success',
                  source: 'push',
                  user: 'bob',
                  createdAt: minutesAgo(50),
                  minutes: 4,
                  jobs: [{ name: 'test', stage: 'test', status: 'success' }],
                },
              ],
              deployments: [],
            },
          ],
          {
            method: req.method,
            path: url.pathname.replace(/^\/api\/v4/, ''),
            query: url.searchParams,
            headers: req.headers,
          },
        ),
      )
    );
  }),
  http.all(`${JENKINS}/*`, ({ request: req }) => {
    const url = new URL(req.url);
    return (
      misbehave(req) ??
      answer(
        fakeJenkins(
          JENKINS,
          [
            {
              fullName: 'payments/payments-api',
              builds: [
                {
                  ...build,
                  number: 5,
                  timestamp: Date.now() - 40 * 60_000,
                  parameters: { ENVIRONMENT: 'staging', VERSION: '1.4.0' },
                },
              ],
            },
          ],
          { method: req.method, path: url.pathname, headers: req.headers },
        ),
      )
    );
  }),
  http.post(`${PROMETHEUS}/api/v1/query_range`, async ({ request: req }) => {
    const misbehaved = misbehave(req);
    if (misbehaved) return misbehaved;
    const form = new URLSearchParams(await req.text());
    const [start, end, step] = ['start', 'end', 'step'].map(key =>
      parseFloat(form.get(key)!),
    );
    const values: Array<[number, string]> = [];
    for (let t = start; t <= end; t += step) values.push([t, '100']);
    return HttpResponse.json({
      status: 'success',
      data: { resultType: 'matrix', result: [{ metric: {}, values }] },
    });
  }),
  // Any other host: recorded, and unreachable.
  http.all('*', ({ request: req }) => {
    requested.push(new URL(req.url));
    return HttpResponse.error();
  }),
);
registerMswTestHooks(server);

const SLO = `apiVersion: openslo/v1
kind: SLO
metadata:
  name: availability
spec:
  indicator:
    spec:
      ratioMetric:
        good: { metricSource: { type: prometheus, spec: { query: 'http_requests_total{code!~"5.."}' } } }
        total: { metricSource: { type: prometheus, spec: { query: 'http_requests_total' } } }
  timeWindow:
    - { duration: 7d, isRolling: true }
  budgetingMethod: Occurrences
  objectives:
    - { target: 0.99 }
`;

/** Every read route of the API spec, with a request that reaches the CI systems or Prometheus. */
const READS: Record<string, string[]> = {
  '/health': ['/health'],
  '/environments': ['/environments?entityRef=component:default/payments-api'],
  '/environments/{namespace}/{name}': ['/environments/default/staging'],
  '/environments/{namespace}/{name}/check': [
    '/environments/default/staging/check',
  ],
  '/environments/{namespace}/{name}/bookings.ics': [
    '/environments/default/staging/bookings.ics',
  ],
  '/teams/{namespace}/{name}/bookings.ics': [
    '/teams/default/payments/bookings.ics',
  ],
  '/teams/{namespace}/{name}/overview': ['/teams/default/payments/overview'],
  '/availability': ['/availability?durationHours=1'],
  '/bookings': ['/bookings'],
  '/bookings/{id}': ['/bookings/00000000-0000-4000-8000-000000000000'],
  '/waitlist': ['/waitlist'],
  '/audit': ['/audit'],
  '/audit.csv': ['/audit.csv'],
  '/admin/policies': ['/admin/policies'],
  '/blackouts': ['/blackouts'],
  '/slos': ['/slos?entityRef=component:default/payments-api'],
  '/slos/gate': ['/slos/gate?entityRef=component:default/payments-api'],
  '/slos/rollup': ['/slos/rollup?groupRef=group:default/payments'],
  '/pipelines': ['/pipelines?entityRef=component:default/payments-api'],
  '/pipelines/runs': ['github', 'gitlab', 'jenkins'].map(
    provider =>
      `/pipelines/runs?entityRef=component:default/payments-api&provider=${provider}`,
  ),
  '/pipelines/runs/{provider}/{runId}': [
    'github/11',
    'gitlab/901',
    `jenkins/${encodeURIComponent('default:payments/payments-api#5')}`,
  ].map(
    run => `/pipelines/runs/${run}?entityRef=component:default/payments-api`,
  ),
  '/deployments': ['/deployments?entityRef=component:default/payments-api'],
  '/deployments/map': ['/deployments/map?systemRef=system:default/payments'],
  '/dora': [
    '/dora?entityRef=component:default/payments-api',
    '/dora?entityRef=system:default/payments',
    '/dora?entityRef=group:default/payments',
  ],
  '/analytics/usage': ['/analytics/usage'],
  '/analytics/usage.csv': ['/analytics/usage.csv'],
};

/** The plugin's and modules' configuration, with a credential for each upstream system. */
const CONFIG = {
  integrations: {
    github: [{ host: 'github.com', token: GITHUB_TOKEN }],
    gitlab: [{ host: 'gitlab.com', token: GITLAB_TOKEN }],
  },
  environments: {
    pipelines: { allowRerun: true },
    github: { timeoutMs: 2000 },
    gitlab: { timeoutMs: 2000 },
    jenkins: {
      timeoutMs: 2000,
      instances: [
        {
          name: 'default',
          baseUrl: JENKINS,
          username: 'ci-bot',
          apiKey: JENKINS_API_KEY,
          headers: { 'X-Jenkins-Tenant': JENKINS_HEADER },
        },
      ],
    },
    prometheus: {
      baseUrl: PROMETHEUS,
      bearerToken: PROMETHEUS_TOKEN,
      headers: { 'X-Api-Key': PROMETHEUS_HEADER },
      timeoutMs: 2000,
    },
  },
};

/**
 * The plugin with all four upstream modules, credentials configured, for the component
 * payments-api that names a repository, a project and a job on each, and an SLO file in `dir`.
 */
function startWithUpstreams() {
  const entities: Entity[] = [
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
          'backstage.io/managed-by-location': `file:${dir}/catalog-info.yaml`,
          'openslo.dev/slo-files': 'slo.yaml',
        },
      },
      spec: { type: 'service', owner: 'group:default/payments' },
      relations: [
        { type: 'ownedBy', targetRef: 'group:default/payments' },
        { type: 'partOf', targetRef: 'system:default/payments' },
      ],
    },
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: { name: 'staging', namespace: 'default' },
      spec: { type: 'environment', owner: 'group:default/payments' },
      relations: [{ type: 'partOf', targetRef: 'system:default/payments' }],
    },
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: 'payments', namespace: 'default' },
      spec: { type: 'team', children: [] },
    },
  ];
  return startTestBackend({
    features: [
      environmentsPlugin,
      githubModule,
      gitlabModule,
      jenkinsModule,
      prometheusModule,
      catalogServiceMock.factory({ entities }),
      mockServices.rootConfig.factory({
        data: CONFIG,
      }),
    ],
  });
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tem-upstreams-'));
  fs.writeFileSync(path.join(dir, 'slo.yaml'), SLO);
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('credentials of CI systems and Prometheus', () => {
  it('calls every read route of the API spec', () => {
    const spec = YAML.parse(
      fs.readFileSync(path.join(__dirname, 'schema', 'openapi.yaml'), 'utf8'),
    ) as { paths: Record<string, Record<string, unknown>> };
    const reads = Object.keys(spec.paths).filter(p => spec.paths[p].get);
    expect(Object.keys(READS).sort()).toEqual(reads.sort());
  });

  describe.each<Upstream>(['answering', 'refusing', 'failing', 'unreachable'])(
    'when the upstream systems are %s',
    mode => {
      let backend: Awaited<ReturnType<typeof startTestBackend>>;

      beforeAll(async () => {
        upstream = mode;
        received.clear();
        backend = await startWithUpstreams();
      });
      afterAll(async () => {
        await backend?.stop();
      });

      it('never puts a credential into a response, as user or as service', async () => {
        const leaks: string[] = [];
        const statuses: number[] = [];
        for (const caller of [
          mockCredentials.user.header(),
          mockCredentials.service.header(),
        ]) {
          for (const url of Object.values(READS).flat()) {
            // A service names the holder it checks; a user is the holder by default.
            const withHolder = url.endsWith('/check')
              ? `${url}?user=user:default/mock`
              : url;
            const res = await request(backend.server)
              .get(`/api/environments${withHolder}`)
              .set('Authorization', caller);
            statuses.push(res.status);
            const seen = `${JSON.stringify(res.headers)}\n${res.text}`;
            for (const secret of SECRETS) {
              if (seen.includes(secret)) leaks.push(`${url}: ${secret}`);
            }
            // Whatever the upstream does, the plugin answers on its own terms.
            expect([200, 403, 404]).toContain(res.status);
          }
        }
        expect(leaks).toEqual([]);
        // The requests reached the upstream systems with every credential configured (the
        // Jenkins key only base64-encoded), so the responses above had them to leak.
        expect(
          SECRETS.filter(secret =>
            [...received].some(value => value.includes(secret)),
          ),
        ).toEqual(SECRETS.filter(secret => secret !== JENKINS_API_KEY));
        expect(statuses.length).toBe(2 * Object.values(READS).flat().length);
      });
    },
  );
});

describe('where a user can point the backend', () => {
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  const entityRef = 'component:default/payments-api';
  const evil = 'https://evil.example.com/steal';

  beforeAll(async () => {
    upstream = 'answering';
    backend = await startWithUpstreams();
  });
  afterAll(async () => {
    await backend?.stop();
  });

  it("only at the configured hosts, and there only at the entity's project", async () => {
    requested.length = 0;
    const user = mockCredentials.user.header();
    const runIds: Record<string, string[]> = {
      github: [
        '..',
        '../../../../user',
        evil,
        '//evil.example.com',
        '11@evil.example.com',
      ],
      gitlab: [
        '..',
        '../../../../user',
        evil,
        '//evil.example.com',
        '901?private_token=x',
      ],
      jenkins: [
        'default:payments/payments-api@..#5',
        'default:payments/payments-api@../../../../script#5',
        `default:${evil}#5`,
        'evil:payments/payments-api#5',
        'default:payments/payments-api@//evil.example.com#5',
      ],
    };
    const hostile = [
      ...Object.entries(runIds).flatMap(([provider, ids]) =>
        ids.flatMap(id => {
          const run = `/pipelines/runs/${provider}/${encodeURIComponent(id)}`;
          return [
            request(backend.server)
              .get(`/api/environments${run}`)
              .query({ entityRef }),
            request(backend.server)
              .post(`/api/environments${run}/rerun`)
              .send({ entityRef }),
          ];
        }),
      ),
      ...['github', 'gitlab', 'jenkins', evil, 'evil.example.com'].flatMap(
        provider =>
          [
            { branch: evil },
            { branch: '../../..' },
            { branch: '//evil.example.com' },
            { cursor: evil },
            { cursor: '../../user' },
          ].map(query =>
            request(backend.server)
              .get('/api/environments/pipelines/runs')
              .query({ entityRef, provider, ...query }),
          ),
      ),
      ...[
        evil,
        'component:default/https://evil.example.com',
        `url:${evil}`,
      ].flatMap(ref =>
        ['/pipelines', '/deployments', '/slos'].map(route =>
          request(backend.server)
            .get(`/api/environments${route}`)
            .query({ entityRef: ref }),
        ),
      ),
    ];
    const statuses = new Set<number>();
    for (const req of hostile) {
      statuses.add((await req.set('Authorization', user)).status);
    }

    // Requests did go out, each to an endpoint of the entity's own repository, project or job:
    // nothing a user sends climbs out of it (`..`) or names another host.
    const endpoints = [
      /^api\.github\.com\/repos\/acme\/payments-api\/actions\/runs(\/\d+(\/jobs|\/rerun)?)?$/,
      /^gitlab\.com\/api\/v4\/projects\/acme%2Fpayments-api\/pipelines(\/\d+(\/jobs|\/retry)?)?$/,
      /^jenkins\.example\.com\/job\/payments\/job\/payments-api(\/job\/[^/]+)?\/(\d+\/)?(api\/json|wfapi\/describe|build|buildWithParameters)$/,
    ];
    expect(requested.length).toBeGreaterThan(0);
    expect(
      requested
        .map(url => `${url.host}${url.pathname}`)
        .filter(url => !endpoints.some(endpoint => endpoint.test(url))),
    ).toEqual([]);
    // Refused or not found, never a server error.
    expect([...statuses].filter(status => status >= 500)).toEqual([]);
  });
});

describe('the configuration the frontend receives', () => {
  it('holds no credential, and the backend treats each as a secret', async () => {
    const schema = await loadConfigSchema({
      dependencies: [
        '@internal/plugin-environments-backend',
        '@internal/plugin-environments-backend-module-github',
        '@internal/plugin-environments-backend-module-gitlab',
        '@internal/plugin-environments-backend-module-jenkins',
        '@internal/plugin-environments-backend-module-prometheus',
      ],
    });
    const data = {
      app: { baseUrl: 'http://localhost:3000' },
      backend: {
        baseUrl: 'http://localhost:7007',
        database: { client: 'better-sqlite3', connection: ':memory:' },
      },
      ...CONFIG,
    };
    const visible = (visibility: 'frontend' | 'secret') =>
      JSON.stringify(
        schema.process([{ context: 'test', data }], {
          visibility: [visibility],
        }),
      );
    const configured = SECRETS.filter(secret =>
      JSON.stringify(CONFIG).includes(secret),
    );

    expect(configured).toHaveLength(6);
    expect(visible('frontend')).toContain('http://localhost:3000');
    expect(
      configured.filter(secret => visible('frontend').includes(secret)),
    ).toEqual([]);
    // Secrets are what the backend keeps out of its logs.
    expect(
      configured.filter(secret => !visible('secret').includes(secret)),
    ).toEqual([]);
  });
});
