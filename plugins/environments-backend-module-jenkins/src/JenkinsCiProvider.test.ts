import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { CiHttpClient } from '@internal/plugin-environments-node';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { JenkinsCiProvider } from './JenkinsCiProvider';
import { FakeBuild, fakeJenkins, FakeJob } from './testUtils';

const at = (hour: number) =>
  Date.parse(`2026-11-27T${String(hour).padStart(2, '0')}:00:00Z`);
const build = (number: number, overrides: Partial<FakeBuild>): FakeBuild => ({
  number,
  result: 'SUCCESS',
  building: false,
  timestamp: at(number),
  durationMs: 5 * 60_000,
  sha: `${number}`.padStart(40, '9'),
  stages: [
    { name: 'Build', status: 'SUCCESS' },
    { name: 'Test', status: 'SUCCESS' },
  ],
  ...overrides,
});

const jobs: FakeJob[] = [
  {
    fullName: 'payments/ledger-service',
    builds: [
      build(1, {}),
      build(2, {
        result: 'FAILURE',
        stages: [{ name: 'Test', status: 'FAILED' }],
      }),
      build(3, {
        user: 'erin',
        parameters: { ENVIRONMENT: 'staging', VERSION: '4.1.0' },
        committedAt: at(1) + 30 * 60_000,
      }),
      build(4, {
        result: null,
        building: true,
        stages: [{ name: 'Build', status: 'IN_PROGRESS' }],
      }),
    ],
  },
  {
    fullName: 'search/indexer',
    branches: {
      main: [build(5, {}), build(6, { result: 'UNSTABLE' })],
      'feature/x': [build(7, { result: 'ABORTED' })],
    },
  },
];

const server = setupServer();
registerMswTestHooks(server);

function serveJenkins(root: string) {
  const requests: Request[] = [];
  server.use(
    http.all(`${root}/*`, ({ request }) => {
      requests.push(request.clone());
      const answer = fakeJenkins(root, jobs, {
        method: request.method,
        path: new URL(request.url).pathname,
        headers: request.headers,
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
  return requests;
}

const entity = (jobName: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'ledger-service',
    annotations: { 'jenkins.io/job-full-name': jobName },
  },
  spec: {},
});

function provider() {
  return JenkinsCiProvider.fromConfig(
    new ConfigReader({
      environments: {
        jenkins: {
          instances: [
            {
              name: 'default',
              baseUrl: 'https://jenkins.acme.test',
              username: 'backstage',
              apiKey: 'secret',
            },
            { name: 'search', baseUrl: 'https://ci.search.test/' },
          ],
        },
      },
    }),
    new CiHttpClient({ sleep: async () => {} }),
  )!;
}

describe('JenkinsCiProvider', () => {
  it('applies to entities naming jobs on configured instances', () => {
    const jenkins = provider();
    expect(jenkins.appliesTo(entity('payments/ledger-service'))).toBe(true);
    expect(jenkins.appliesTo(entity('search:search/indexer'))).toBe(true);
    expect(jenkins.appliesTo(entity(''))).toBe(false);
    expect(
      JenkinsCiProvider.fromConfig(new ConfigReader({}), new CiHttpClient()),
    ).toBeUndefined();
  });

  it('lists the builds of a job newest first, with the server-side credentials', async () => {
    const requests = serveJenkins('https://jenkins.acme.test');
    const { items } = await provider().listRuns(
      entity('payments/ledger-service'),
      { limit: 10 },
    );
    expect(items.map(r => [r.id, r.status, r.actor])).toEqual([
      ['default:payments/ledger-service#4', 'running', undefined],
      ['default:payments/ledger-service#3', 'succeeded', 'erin'],
      ['default:payments/ledger-service#2', 'failed', undefined],
      ['default:payments/ledger-service#1', 'succeeded', undefined],
    ]);
    expect(items[1]).toMatchObject({
      name: 'payments/ledger-service',
      branch: 'main',
      commitSha: '3'.padStart(40, '9'),
      durationMs: 5 * 60_000,
      url: 'https://jenkins.acme.test/job/payments/job/ledger-service/3/',
    });
    expect(new URL(requests[0].url).pathname).toBe(
      '/job/payments/job/ledger-service/api/json',
    );
    expect(requests[0].headers.get('authorization')).toBe(
      `Basic ${Buffer.from('backstage:secret').toString('base64')}`,
    );
  });

  it('reads the branches of a multibranch project on a named instance, and one branch', async () => {
    serveJenkins('https://ci.search.test');
    const jenkins = provider();
    const all = await jenkins.listRuns(entity('search:search/indexer'), {
      limit: 10,
    });
    expect(all.items.map(r => [r.branch, r.status])).toEqual([
      ['feature/x', 'cancelled'],
      ['main', 'failed'],
      ['main', 'succeeded'],
    ]);
    const feature = await jenkins.listRuns(entity('search:search/indexer'), {
      limit: 10,
      branch: 'feature/x',
    });
    expect(feature.items.map(r => r.id)).toEqual([
      'search:search/indexer@feature/x#7',
    ]);
    expect(
      await jenkins.getDefaultBranch(entity('search:search/indexer')),
    ).toBe('main');
  });

  it('reads one build with its Pipeline stages', async () => {
    serveJenkins('https://jenkins.acme.test');
    serveJenkins('https://ci.search.test');
    const jenkins = provider();
    const run = await jenkins.getRun(
      entity('payments/ledger-service'),
      'default:payments/ledger-service#2',
    );
    expect(run).toMatchObject({
      status: 'failed',
      jobs: [{ name: 'Test', status: 'failed' }],
    });
    const branchRun = await jenkins.getRun(
      entity('search:search/indexer'),
      'search:search/indexer@feature/x#7',
    );
    expect(branchRun).toMatchObject({
      branch: 'feature/x',
      status: 'cancelled',
    });
    await expect(
      jenkins.getRun(
        entity('payments/ledger-service'),
        'other:payments/elsewhere#1',
      ),
    ).rejects.toMatchObject({ problem: 'not-found' });
  });

  it('treats builds with an environment parameter as deployments', async () => {
    serveJenkins('https://jenkins.acme.test');
    const { items } = await provider().listDeployments(
      entity('payments/ledger-service'),
      { limit: 20 },
    );
    expect(items).toEqual([
      {
        provider: 'jenkins',
        id: 'default:payments/ledger-service#3',
        environmentName: 'staging',
        version: '4.1.0',
        commitSha: '3'.padStart(40, '9'),
        committedAt: '2026-11-27T01:30:00.000Z',
        status: 'succeeded',
        createdAt: '2026-11-27T03:00:00.000Z',
        createdBy: 'erin',
        url: 'https://jenkins.acme.test/job/payments/job/ledger-service/3/',
      },
    ]);
  });

  it('builds again with the same parameters', async () => {
    const requests = serveJenkins('https://jenkins.acme.test');
    await provider().rerun(
      entity('payments/ledger-service'),
      'default:payments/ledger-service#3',
    );
    const post = requests.find(r => r.method === 'POST')!;
    const url = new URL(post.url);
    expect(url.pathname).toBe(
      '/job/payments/job/ledger-service/buildWithParameters',
    );
    expect(Object.fromEntries(url.searchParams)).toEqual({
      ENVIRONMENT: 'staging',
      VERSION: '4.1.0',
    });
  });

  it('fails on JSON that is no Jenkins object instead of reading it as no builds', async () => {
    // A proxy in front of Jenkins answering with its own JSON and a 200.
    server.use(
      http.all('https://jenkins.acme.test/*', () =>
        HttpResponse.json({ message: 'Service in maintenance' }),
      ),
    );
    const ledger = entity('payments/ledger-service');
    const notJenkins = {
      problem: 'unavailable',
      message: 'jenkins.acme.test answered with JSON that is not a Jenkins job',
    };
    await expect(
      provider().listRuns(ledger, { limit: 5 }),
    ).rejects.toMatchObject(notJenkins);
    await expect(
      provider().listDeployments(ledger, { limit: 5 }),
    ).rejects.toMatchObject(notJenkins);
  });
});
