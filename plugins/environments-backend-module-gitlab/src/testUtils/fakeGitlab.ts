// A fake GitLab REST API (v4) for tests and the demo: projects, pipelines, jobs, deployments,
// shaped like GitLab's answers as its API documentation describes them. Only Node built-ins and
// erasable TypeScript, so `node` can serve it.
import { createHash } from 'node:crypto';

export interface FakePipeline {
  id: number;
  ref: string;
  sha: string;
  status:
    | 'created'
    | 'pending'
    | 'running'
    | 'success'
    | 'failed'
    | 'canceled'
    | 'skipped'
    | 'manual';
  source: string;
  user: string;
  createdAt: string;
  /** Minutes it took (or has been running). */
  minutes: number;
  jobs: Array<{
    name: string;
    stage: string;
    status:
      | 'success'
      | 'failed'
      | 'running'
      | 'pending'
      | 'canceled'
      | 'skipped';
  }>;
}

export interface FakeGitlabDeployment {
  id: number;
  environment: string;
  ref: string;
  sha: string;
  status: 'created' | 'running' | 'success' | 'failed' | 'canceled' | 'blocked';
  user: string;
  createdAt: string;
  /** When the deployed commit was committed; the deployment's own time when not given. */
  committedAt?: string;
  pipelineId: number;
}

export interface FakeProject {
  id: number;
  /** `group/project`. */
  path: string;
  defaultBranch: string;
  pipelines: FakePipeline[];
  deployments: FakeGitlabDeployment[];
}

export interface FakeGitlabRequest {
  method: string;
  /** Path below `/api/v4`, e.g. `/projects/42/pipelines`. */
  path: string;
  query: URLSearchParams;
  headers: { get(name: string): string | null };
}

export interface FakeGitlabResponse {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

const WEB = 'https://gitlab.com';
const plusMinutes = (iso: string, minutes: number) =>
  new Date(Date.parse(iso) + minutes * 60_000).toISOString();
const userId = (name: string) =>
  createHash('sha1').update(name).digest().readUInt16BE(0);

function user(username: string) {
  return {
    id: userId(username),
    username,
    name: username[0].toUpperCase() + username.slice(1),
    state: 'active',
    avatar_url: `${WEB}/uploads/-/system/user/avatar/${userId(
      username,
    )}/avatar.png`,
    web_url: `${WEB}/${username}`,
  };
}

function project(p: FakeProject) {
  const [namespace, name] = p.path.split('/');
  return {
    id: p.id,
    description: `${name} (demo data)`,
    name,
    name_with_namespace: `${namespace} / ${name}`,
    path: name,
    path_with_namespace: p.path,
    created_at: '2024-03-01T10:00:00.000Z',
    default_branch: p.defaultBranch,
    ssh_url_to_repo: `git@gitlab.com:${p.path}.git`,
    http_url_to_repo: `${WEB}/${p.path}.git`,
    web_url: `${WEB}/${p.path}`,
    visibility: 'private',
    last_activity_at: '2026-11-27T08:00:00.000Z',
  };
}

function pipeline(p: FakeProject, item: FakePipeline, detailed: boolean) {
  const done = !['created', 'pending', 'running', 'manual'].includes(
    item.status,
  );
  const base = {
    id: item.id,
    iid: item.id % 1000,
    project_id: p.id,
    sha: item.sha,
    ref: item.ref,
    status: item.status,
    source: item.source,
    created_at: item.createdAt,
    updated_at: plusMinutes(item.createdAt, item.minutes),
    web_url: `${WEB}/${p.path}/-/pipelines/${item.id}`,
  };
  if (!detailed) return base;
  return {
    ...base,
    before_sha: '0'.repeat(40),
    tag: false,
    yaml_errors: null,
    user: user(item.user),
    started_at: item.createdAt,
    finished_at: done ? plusMinutes(item.createdAt, item.minutes) : null,
    committed_at: null,
    duration: done ? item.minutes * 60 : null,
    queued_duration: 2,
    coverage: null,
    detailed_status: {
      icon: `status_${item.status}`,
      text: item.status,
      label: item.status,
      group: item.status,
      has_details: true,
      details_path: `/${p.path}/-/pipelines/${item.id}`,
    },
  };
}

function jobs(p: FakeProject, item: FakePipeline) {
  const step = item.minutes / Math.max(1, item.jobs.length);
  return item.jobs.map((job, index) => {
    const id = item.id * 10 + index;
    const started = plusMinutes(item.createdAt, index * step);
    const done = !['running', 'pending'].includes(job.status);
    return {
      id,
      status: job.status,
      stage: job.stage,
      name: job.name,
      ref: item.ref,
      tag: false,
      coverage: null,
      allow_failure: false,
      created_at: item.createdAt,
      started_at: started,
      finished_at: done ? plusMinutes(started, step) : null,
      duration: done ? step * 60 : null,
      queued_duration: 1,
      user: user(item.user),
      pipeline: {
        id: item.id,
        project_id: p.id,
        ref: item.ref,
        sha: item.sha,
        status: item.status,
      },
      web_url: `${WEB}/${p.path}/-/jobs/${id}`,
    };
  });
}

function deployment(p: FakeProject, item: FakeGitlabDeployment) {
  const committedAt = item.committedAt ?? item.createdAt;
  return {
    id: item.id,
    iid: item.id % 1000,
    ref: item.ref,
    sha: item.sha,
    created_at: item.createdAt,
    updated_at: plusMinutes(item.createdAt, 4),
    status: item.status,
    user: user(item.user),
    environment: {
      id: userId(item.environment),
      name: item.environment,
      external_url: `https://${item.environment}.${
        p.path.split('/')[1]
      }.example.com`,
    },
    deployable: {
      id: item.pipelineId * 10,
      status: item.status,
      stage: 'deploy',
      name: `deploy-${item.environment}`,
      ref: item.ref,
      web_url: `${WEB}/${p.path}/-/jobs/${item.pipelineId * 10}`,
      // The job's commit, as GitLab embeds it in each deployment.
      commit: {
        id: item.sha,
        short_id: item.sha.slice(0, 8),
        created_at: committedAt,
        parent_ids: [],
        title: `Release ${item.ref}`,
        message: `Release ${item.ref}\n`,
        author_name: item.user,
        author_email: `${item.user}@example.com`,
        authored_date: committedAt,
        committer_name: item.user,
        committer_email: `${item.user}@example.com`,
        committed_date: committedAt,
        web_url: `${WEB}/${p.path}/-/commit/${item.sha}`,
      },
      pipeline: {
        id: item.pipelineId,
        sha: item.sha,
        ref: item.ref,
        status: item.status,
        web_url: `${WEB}/${p.path}/-/pipelines/${item.pipelineId}`,
      },
    },
  };
}

function page<T>(items: T[], query: URLSearchParams) {
  const perPage = Math.min(100, Number(query.get('per_page') ?? 20));
  const pageNumber = Math.max(1, Number(query.get('page') ?? 1));
  const slice = items.slice((pageNumber - 1) * perPage, pageNumber * perPage);
  const more = pageNumber * perPage < items.length;
  return {
    slice,
    headers: {
      'x-page': String(pageNumber),
      'x-per-page': String(perPage),
      'x-next-page': more ? String(pageNumber + 1) : '',
      'x-total': String(items.length),
    },
  };
}

/** Answers a request against the fake projects, like GitLab's REST API v4. */
export function fakeGitlab(
  projects: FakeProject[],
  request: FakeGitlabRequest,
): FakeGitlabResponse {
  const notFound: FakeGitlabResponse = {
    status: 404,
    headers: { 'content-type': 'application/json' },
    body: { message: '404 Project Not Found' },
  };
  const match = /^\/projects\/([^/]+)(\/.*)?$/.exec(request.path);
  if (!match) return notFound;
  const key = decodeURIComponent(match[1]);
  const found = projects.find(p => String(p.id) === key || p.path === key);
  if (!found) return notFound;
  const rest = match[2] ?? '';
  const json = (body: unknown, headers: Record<string, string> = {}) => ({
    status: 200,
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  if (request.method === 'POST') {
    const retry = /^\/pipelines\/(\d+)\/retry$/.exec(rest);
    const item = retry && found.pipelines.find(x => x.id === Number(retry[1]));
    return item
      ? { ...json(pipeline(found, item, true)), status: 201 }
      : notFound;
  }
  if (rest === '') return json(project(found));
  if (rest === '/pipelines') {
    const ref = request.query.get('ref');
    const sorted = found.pipelines
      .filter(x => !ref || x.ref === ref)
      .sort((a, b) => b.id - a.id);
    const { slice, headers } = page(sorted, request.query);
    return json(
      slice.map(x => pipeline(found, x, false)),
      headers,
    );
  }
  const one = /^\/pipelines\/(\d+)(\/jobs)?$/.exec(rest);
  if (one) {
    const item = found.pipelines.find(x => x.id === Number(one[1]));
    if (!item) return { ...notFound, body: { message: '404 Not found' } };
    return json(one[2] ? jobs(found, item) : pipeline(found, item, true));
  }
  if (rest === '/deployments') {
    const sorted = [...found.deployments].sort((a, b) =>
      b.createdAt.localeCompare(a.createdAt),
    );
    const { slice, headers } = page(sorted, request.query);
    return json(
      slice.map(d => deployment(found, d)),
      headers,
    );
  }
  return { ...notFound, body: { error: '404 Not Found' } };
}
