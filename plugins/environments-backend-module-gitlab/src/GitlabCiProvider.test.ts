import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { CiHttpClient } from '@internal/plugin-environments-node';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { GitlabCiProvider } from './GitlabCiProvider';
import { fakeGitlab, FakePipeline, FakeProject } from './testUtils';

const pipeline = (
  id: number,
  overrides: Partial<FakePipeline>,
): FakePipeline => ({
  id,
  ref: 'main',
  sha: `${id}`.padStart(40, 'e'),
  status: 'success',
  source: 'push',
  user: 'dana',
  createdAt: `2026-11-27T0${id % 10}:00:00.000Z`,
  minutes: 8,
  jobs: [
    { name: 'compile', stage: 'build', status: 'success' },
    { name: 'unit', stage: 'test', status: 'success' },
  ],
  ...overrides,
});

const project: FakeProject = {
  id: 4242,
  path: 'acme/checkout-web',
  defaultBranch: 'main',
  pipelines: [
    pipeline(1, {}),
    pipeline(2, {
      status: 'failed',
      jobs: [{ name: 'unit', stage: 'test', status: 'failed' }],
    }),
    pipeline(3, {
      ref: 'feature/cart',
      status: 'running',
      jobs: [{ name: 'compile', stage: 'build', status: 'running' }],
    }),
    pipeline(4, { status: 'canceled', source: 'schedule' }),
  ],
  deployments: [
    {
      id: 901,
      environment: 'staging',
      ref: 'main',
      sha: 'f'.repeat(40),
      status: 'success',
      user: 'dana',
      createdAt: '2026-11-27T09:30:00.000Z',
      committedAt: '2026-11-27T08:10:00.000+01:00',
      pipelineId: 2,
    },
    {
      id: 900,
      environment: 'production',
      ref: 'v2.8.0',
      sha: 'a'.repeat(40),
      status: 'success',
      user: 'erin',
      createdAt: '2026-11-25T09:30:00.000Z',
      committedAt: '2026-11-24T16:00:00.000Z',
      pipelineId: 1,
    },
  ],
};

const server = setupServer();
registerMswTestHooks(server);

function serveGitlab(apiBase: string) {
  const requests: Request[] = [];
  server.use(
    http.all(`${apiBase}/*`, ({ request }) => {
      requests.push(request.clone());
      const url = new URL(request.url);
      // GitLab takes the project path URL-encoded in one segment: keep it encoded.
      const path = url.pathname.slice(new URL(apiBase).pathname.length);
      const answer = fakeGitlab([project], {
        method: request.method,
        path,
        query: url.searchParams,
        headers: request.headers,
      });
      return HttpResponse.json(answer.body as object, {
        status: answer.status,
        headers: answer.headers,
      });
    }),
  );
  return requests;
}

const entity = (annotations: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'checkout-web', annotations },
  spec: {},
});
const bySlug = entity({ 'gitlab.com/project-slug': 'acme/checkout-web' });
const byId = entity({ 'gitlab.com/project-id': '4242' });

function provider(
  config: object = {
    integrations: { gitlab: [{ host: 'gitlab.com', token: 'glpat-test' }] },
  },
) {
  return new GitlabCiProvider(
    ScmIntegrations.fromConfig(new ConfigReader(config)),
    new CiHttpClient({ sleep: async () => {} }),
  );
}

describe('GitlabCiProvider', () => {
  it('applies to entities with a project id or slug, on a configured instance', () => {
    const gitlab = provider();
    expect(gitlab.appliesTo(bySlug)).toBe(true);
    expect(gitlab.appliesTo(byId)).toBe(true);
    expect(gitlab.appliesTo(entity({}))).toBe(false);
    expect(
      gitlab.appliesTo(
        entity({
          'gitlab.com/project-id': '7',
          'gitlab.com/instance': 'gitlab.unknown.test',
        }),
      ),
    ).toBe(false);
  });

  it('lists pipelines newest first, by slug or id, with the server-side token', async () => {
    const requests = serveGitlab('https://gitlab.com/api/v4');
    const gitlab = provider();
    const page = await gitlab.listRuns(bySlug, { limit: 3 });
    expect(page.items.map(r => [r.id, r.branch, r.status, r.event])).toEqual([
      ['4', 'main', 'cancelled', 'schedule'],
      ['3', 'feature/cart', 'running', 'push'],
      ['2', 'main', 'failed', 'push'],
    ]);
    expect(page.nextCursor).toBe('2');
    expect(page.items[2]).toMatchObject({
      provider: 'gitlab',
      name: 'checkout-web',
      url: 'https://gitlab.com/acme/checkout-web/-/pipelines/2',
    });
    expect(new URL(requests[0].url).pathname).toBe(
      '/api/v4/projects/acme%2Fcheckout-web/pipelines',
    );
    expect(requests[0].headers.get('authorization')).toBe('Bearer glpat-test');
    const branch = await gitlab.listRuns(byId, {
      limit: 10,
      branch: 'feature/cart',
    });
    expect(branch.items.map(r => r.id)).toEqual(['3']);
  });

  it('reads a pipeline with its jobs and stages, and the default branch', async () => {
    serveGitlab('https://gitlab.com/api/v4');
    const gitlab = provider();
    const run = await gitlab.getRun(byId, '2');
    expect(run).toMatchObject({
      id: '2',
      status: 'failed',
      actor: 'dana',
      durationMs: 8 * 60_000,
      finishedAt: '2026-11-27T02:08:00.000Z',
    });
    expect(run.jobs).toEqual([
      expect.objectContaining({
        name: 'unit',
        stage: 'test',
        status: 'failed',
        durationMs: 8 * 60_000,
      }),
    ]);
    expect(await gitlab.getDefaultBranch(byId)).toBe('main');
  });

  it('reads deployments with environment, version, commit time and who deployed', async () => {
    serveGitlab('https://gitlab.com/api/v4');
    const { items } = await provider().listDeployments(bySlug, { limit: 10 });
    expect(items).toEqual([
      expect.objectContaining({
        id: 'gitlab.com/acme%2Fcheckout-web/901',
        environmentName: 'staging',
        version: 'ffffffff',
        committedAt: '2026-11-27T08:10:00.000+01:00',
        status: 'succeeded',
        createdBy: 'dana',
        url: 'https://gitlab.com/acme/checkout-web/-/pipelines/2',
      }),
      expect.objectContaining({
        environmentName: 'production',
        version: 'v2.8.0',
      }),
    ]);
  });

  it('talks to a self-managed instance, retries a pipeline, and honours Retry-After', async () => {
    const requests = serveGitlab('https://gitlab.acme.test/api/v4');
    const gitlab = provider({
      integrations: {
        gitlab: [
          {
            host: 'gitlab.acme.test',
            apiBaseUrl: 'https://gitlab.acme.test/api/v4',
            token: 'self-managed',
          },
        ],
      },
    });
    const onPrem = entity({
      'gitlab.com/project-id': '4242',
      'gitlab.com/instance': 'gitlab.acme.test',
    });
    await gitlab.rerun(onPrem, '2');
    expect(`${requests[0].method} ${new URL(requests[0].url).pathname}`).toBe(
      'POST /api/v4/projects/4242/pipelines/2/retry',
    );

    let calls = 0;
    server.use(
      http.get('https://gitlab.acme.test/api/v4/projects/4242', () =>
        ++calls === 1
          ? HttpResponse.json(
              { message: '429 Too Many Requests' },
              { status: 429, headers: { 'Retry-After': '1' } },
            )
          : HttpResponse.json({ default_branch: 'trunk' }),
      ),
    );
    expect(await gitlab.getDefaultBranch(onPrem)).toBe('trunk');
    expect(calls).toBe(2);
  });
});
