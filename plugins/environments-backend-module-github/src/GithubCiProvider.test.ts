import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import { ScmIntegrations } from '@backstage/integration';
import { CiHttpClient } from '@internal/plugin-environments-node';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { GithubCiProvider } from './GithubCiProvider';
import { fakeGithub, FakeRepository, FakeRun } from './testUtils';

const run = (id: number, overrides: Partial<FakeRun>): FakeRun => ({
  id,
  workflow: 'CI',
  branch: 'main',
  sha: `${id}`.padStart(40, 'a'),
  message: `Change ${id}\n\nLonger description.`,
  event: 'push',
  actor: 'alice',
  status: 'completed',
  conclusion: 'success',
  createdAt: `2026-11-27T0${id % 10}:00:00Z`,
  minutes: 6,
  jobs: [
    { name: 'build', conclusion: 'success' },
    { name: 'test', conclusion: 'success' },
  ],
  ...overrides,
});

const repository: FakeRepository = {
  owner: 'acme',
  repo: 'payments-api',
  defaultBranch: 'main',
  runs: [
    run(1, {}),
    run(2, {
      conclusion: 'failure',
      jobs: [{ name: 'test', conclusion: 'failure' }],
    }),
    run(3, { workflow: 'Deploy', conclusion: 'timed_out' }),
    run(4, {
      branch: 'feature/speed',
      status: 'in_progress',
      conclusion: null,
    }),
    run(5, {
      workflow: 'Nightly',
      event: 'schedule',
      status: 'queued',
      conclusion: null,
    }),
  ],
  deployments: [
    {
      id: 71,
      environment: 'production',
      ref: 'v1.3.2',
      sha: 'c'.repeat(40),
      version: '1.3.2',
      creator: 'bob',
      createdAt: '2026-11-26T15:00:00Z',
      committedAt: '2026-11-26T11:30:00Z',
      state: 'success',
    },
    {
      id: 72,
      environment: 'staging',
      ref: 'main',
      sha: 'd'.repeat(40),
      creator: 'alice',
      createdAt: '2026-11-27T09:00:00Z',
      state: 'failure',
    },
  ],
};

const server = setupServer();
registerMswTestHooks(server);

/** Serves the fake GitHub at `apiBase`, recording the requests that reached it. */
function serveGithub(apiBase: string, repos: FakeRepository[]) {
  const requests: Request[] = [];
  server.use(
    http.all(`${apiBase}/*`, ({ request }) => {
      requests.push(request.clone());
      const url = new URL(request.url);
      const answer = fakeGithub(repos, {
        method: request.method,
        path: url.pathname.slice(
          new URL(apiBase).pathname.replace(/\/$/, '').length,
        ),
        query: url.searchParams,
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

function entity(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'payments-api', annotations },
    spec: {},
  };
}

const payments = entity({ 'github.com/project-slug': 'acme/payments-api' });

function provider(
  config: object = {
    integrations: { github: [{ host: 'github.com', token: 'ghp_test' }] },
  },
) {
  const client = new CiHttpClient({ sleep: async () => {} });
  return {
    client,
    github: new GithubCiProvider(
      ScmIntegrations.fromConfig(new ConfigReader(config)),
      client,
    ),
  };
}

describe('GithubCiProvider', () => {
  it('applies to entities with a project slug only', () => {
    const { github } = provider();
    expect(github.appliesTo(payments)).toBe(true);
    expect(github.appliesTo(entity({}))).toBe(false);
    expect(
      github.appliesTo(entity({ 'github.com/project-slug': 'no-repo' })),
    ).toBe(false);
  });

  it('lists workflow runs newest first, with statuses, commits and pages', async () => {
    const requests = serveGithub('https://api.github.com', [repository]);
    const { github } = provider();
    const first = await github.listRuns(payments, { limit: 3 });
    expect(first.items.map(r => [r.id, r.name, r.branch, r.status])).toEqual([
      ['5', 'Nightly', 'main', 'queued'],
      ['4', 'CI', 'feature/speed', 'running'],
      ['3', 'Deploy', 'main', 'failed'],
    ]);
    expect(first.nextCursor).toBe('2');
    expect(first.items[2]).toMatchObject({
      provider: 'github',
      commitSha: '3'.padStart(40, 'a'),
      commitMessage: 'Change 3',
      event: 'push',
      actor: 'alice',
      startedAt: '2026-11-27T03:00:00Z',
      finishedAt: '2026-11-27T03:06:00Z',
      durationMs: 6 * 60_000,
      url: 'https://github.com/acme/payments-api/actions/runs/3',
    });
    const second = await github.listRuns(payments, {
      limit: 3,
      cursor: first.nextCursor,
    });
    expect(second.items.map(r => r.id)).toEqual(['2', '1']);
    expect(second.nextCursor).toBeUndefined();
    // The server-side token, never the user's.
    expect(requests[0].headers.get('authorization')).toBe('Bearer ghp_test');
  });

  it('filters by branch and by the workflows an entity names', async () => {
    serveGithub('https://api.github.com', [repository]);
    const { github } = provider();
    const branch = await github.listRuns(payments, {
      limit: 10,
      branch: 'feature/speed',
    });
    expect(branch.items.map(r => r.id)).toEqual(['4']);
    const narrowed = await github.listRuns(
      entity({
        'github.com/project-slug': 'acme/payments-api',
        'tem.dev/ci-workflows': 'Deploy, Nightly',
      }),
      { limit: 10 },
    );
    expect(narrowed.items.map(r => r.name)).toEqual(['Nightly', 'Deploy']);
    // By file name too, and asked per workflow: one run per page still finds each of them.
    const byFile = await github.listRuns(
      entity({
        'github.com/project-slug': 'acme/payments-api',
        'tem.dev/ci-workflows': 'deploy.yml, Nightly',
      }),
      { limit: 1 },
    );
    expect(byFile.items.map(r => r.name)).toEqual(['Nightly', 'Deploy']);
  });

  it('reads one run with its jobs, and the default branch', async () => {
    serveGithub('https://api.github.com', [repository]);
    const { github } = provider();
    const detail = await github.getRun(payments, '2');
    expect(detail).toMatchObject({ id: '2', status: 'failed' });
    expect(detail.jobs).toEqual([
      {
        id: '20',
        name: 'test',
        status: 'failed',
        startedAt: '2026-11-27T02:00:00Z',
        finishedAt: '2026-11-27T02:06:00Z',
        durationMs: 6 * 60_000,
        url: 'https://github.com/acme/payments-api/actions/runs/2/job/20',
      },
    ]);
    expect(await github.getDefaultBranch(payments)).toBe('main');
  });

  it('reads deployments with their latest status, version and commit time', async () => {
    const requests = serveGithub('https://api.github.com', [repository]);
    const { github } = provider();
    const { items } = await github.listDeployments(payments, { limit: 10 });
    expect(items).toEqual([
      {
        provider: 'github',
        id: 'github.com/acme/payments-api/72',
        environmentName: 'staging',
        version: 'main',
        commitSha: 'd'.repeat(40),
        // GitHub does not know this commit (422 or 404): no commit time, the rest stands.
        committedAt: undefined,
        status: 'failed',
        createdAt: '2026-11-27T09:00:00Z',
        createdBy: 'alice',
        url: 'https://github.com/acme/payments-api/actions',
      },
      expect.objectContaining({
        id: 'github.com/acme/payments-api/71',
        environmentName: 'production',
        version: '1.3.2',
        committedAt: '2026-11-26T11:30:00Z',
        status: 'succeeded',
      }),
    ]);
    expect(
      requests
        .map(r => new URL(r.url).pathname)
        .filter(path => path.includes('/commits/')),
    ).toEqual([
      `/repos/acme/payments-api/commits/${'d'.repeat(40)}`,
      `/repos/acme/payments-api/commits/${'c'.repeat(40)}`,
    ]);
  });

  it('asks again conditionally: an unchanged answer is a 304 that costs no quota', async () => {
    const requests = serveGithub('https://api.github.com', [repository]);
    const { github, client } = provider();
    await github.listRuns(payments, { limit: 10 });
    await github.listRuns(payments, { limit: 10 });
    expect(requests[1].headers.get('if-none-match')).toMatch(/^W\/"/);
    expect(client.stats).toMatchObject({ requests: 2, notModified: 1 });
  });

  it('re-runs a run', async () => {
    const requests = serveGithub('https://api.github.com', [repository]);
    await provider().github.rerun(payments, '2');
    expect(requests.map(r => `${r.method} ${new URL(r.url).pathname}`)).toEqual(
      ['POST /repos/acme/payments-api/actions/runs/2/rerun'],
    );
  });

  it('talks to GitHub Enterprise when the source location is on its host', async () => {
    const requests = serveGithub('https://ghe.acme.test/api/v3', [repository]);
    const { github } = provider({
      integrations: {
        github: [
          {
            host: 'ghe.acme.test',
            apiBaseUrl: 'https://ghe.acme.test/api/v3',
            token: 'ghe_token',
          },
        ],
      },
    });
    const onPrem = entity({
      'github.com/project-slug': 'acme/payments-api',
      'backstage.io/source-location':
        'url:https://ghe.acme.test/acme/payments-api/tree/main/',
    });
    await github.listRuns(onPrem, { limit: 1 });
    expect(requests[0].url).toMatch(
      /^https:\/\/ghe\.acme\.test\/api\/v3\/repos\/acme\/payments-api\/actions\/runs/,
    );
    expect(requests[0].headers.get('authorization')).toBe('Bearer ghe_token');
  });

  it('says when the repository does not exist, and waits out a rate limit', async () => {
    serveGithub('https://api.github.com', [repository]);
    const { github } = provider();
    await expect(
      github.listRuns(entity({ 'github.com/project-slug': 'acme/nowhere' }), {
        limit: 5,
      }),
    ).rejects.toMatchObject({ problem: 'not-found', status: 404 });

    let calls = 0;
    server.use(
      http.get('https://api.github.com/repos/acme/payments-api', () =>
        ++calls === 1
          ? HttpResponse.json(
              { message: 'You have exceeded a secondary rate limit.' },
              { status: 403, headers: { 'retry-after': '1' } },
            )
          : HttpResponse.json({ default_branch: 'trunk' }),
      ),
    );
    expect(await github.getDefaultBranch(payments)).toBe('trunk');
    expect(calls).toBe(2);
  });
});
