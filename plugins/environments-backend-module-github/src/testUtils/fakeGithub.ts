// A fake GitHub REST API for tests and the demo: workflow runs, jobs, deployments and their
// statuses, shaped like GitHub's answers (the contract test checks them against GitHub's
// OpenAPI description). Only Node built-ins and erasable TypeScript, so `node` can serve it.
import { createHash } from 'node:crypto';

/** One workflow run of the fake repository. */
export interface FakeRun {
  id: number;
  workflow: string;
  branch: string;
  sha: string;
  message: string;
  event: string;
  actor: string;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion:
    | 'success'
    | 'failure'
    | 'cancelled'
    | 'skipped'
    | 'timed_out'
    | null;
  createdAt: string;
  /** Minutes the run took (or has been going). */
  minutes: number;
  jobs: Array<{ name: string; conclusion: 'success' | 'failure' | null }>;
}

export interface FakeDeployment {
  id: number;
  environment: string;
  ref: string;
  sha: string;
  version?: string;
  creator: string;
  createdAt: string;
  /** When the deployed commit was committed; the fake knows no commit without one. */
  committedAt?: string;
  state:
    | 'success'
    | 'failure'
    | 'error'
    | 'inactive'
    | 'in_progress'
    | 'queued';
}

export interface FakeRepository {
  owner: string;
  repo: string;
  defaultBranch: string;
  runs: FakeRun[];
  deployments: FakeDeployment[];
}

/** A request as the fake sees it. */
export interface FakeRequest {
  method: string;
  /** Path below the API root, e.g. `/repos/acme/payments-api/actions/runs`. */
  path: string;
  query: URLSearchParams;
  headers: { get(name: string): string | null };
}

export interface FakeResponse {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

const API = 'https://api.github.com';
const WEB = 'https://github.com';

function user(login: string, id: number) {
  return {
    login,
    id,
    node_id: `U_${id}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
    gravatar_id: '',
    url: `${API}/users/${login}`,
    html_url: `${WEB}/${login}`,
    followers_url: `${API}/users/${login}/followers`,
    following_url: `${API}/users/${login}/following{/other_user}`,
    gists_url: `${API}/users/${login}/gists{/gist_id}`,
    starred_url: `${API}/users/${login}/starred{/owner}{/repo}`,
    subscriptions_url: `${API}/users/${login}/subscriptions`,
    organizations_url: `${API}/users/${login}/orgs`,
    repos_url: `${API}/users/${login}/repos`,
    events_url: `${API}/users/${login}/events{/privacy}`,
    received_events_url: `${API}/users/${login}/received_events`,
    type: 'User',
    site_admin: false,
  };
}

const idOf = (text: string) =>
  createHash('sha1').update(text).digest().readUInt32BE(0) % 10_000_000;

function minimalRepository(repo: FakeRepository) {
  const full = `${repo.owner}/${repo.repo}`;
  const url = `${API}/repos/${full}`;
  return {
    id: idOf(full),
    node_id: `R_${idOf(full)}`,
    name: repo.repo,
    full_name: full,
    owner: { ...user(repo.owner, idOf(repo.owner)), type: 'Organization' },
    private: true,
    html_url: `${WEB}/${full}`,
    description: `${repo.repo} (demo data)`,
    fork: false,
    url,
    archive_url: `${url}/{archive_format}{/ref}`,
    assignees_url: `${url}/assignees{/user}`,
    blobs_url: `${url}/git/blobs{/sha}`,
    branches_url: `${url}/branches{/branch}`,
    collaborators_url: `${url}/collaborators{/collaborator}`,
    comments_url: `${url}/comments{/number}`,
    commits_url: `${url}/commits{/sha}`,
    compare_url: `${url}/compare/{base}...{head}`,
    contents_url: `${url}/contents/{+path}`,
    contributors_url: `${url}/contributors`,
    deployments_url: `${url}/deployments`,
    downloads_url: `${url}/downloads`,
    events_url: `${url}/events`,
    forks_url: `${url}/forks`,
    git_commits_url: `${url}/git/commits{/sha}`,
    git_refs_url: `${url}/git/refs{/sha}`,
    git_tags_url: `${url}/git/tags{/sha}`,
    hooks_url: `${url}/hooks`,
    issue_comment_url: `${url}/issues/comments{/number}`,
    issue_events_url: `${url}/issues/events{/number}`,
    issues_url: `${url}/issues{/number}`,
    keys_url: `${url}/keys{/key_id}`,
    labels_url: `${url}/labels{/name}`,
    languages_url: `${url}/languages`,
    merges_url: `${url}/merges`,
    milestones_url: `${url}/milestones{/number}`,
    notifications_url: `${url}/notifications{?since,all,participating}`,
    pulls_url: `${url}/pulls{/number}`,
    releases_url: `${url}/releases{/id}`,
    stargazers_url: `${url}/stargazers`,
    statuses_url: `${url}/statuses/{sha}`,
    subscribers_url: `${url}/subscribers`,
    subscription_url: `${url}/subscription`,
    tags_url: `${url}/tags`,
    teams_url: `${url}/teams`,
    trees_url: `${url}/git/trees{/sha}`,
  };
}

function fullRepository(repo: FakeRepository) {
  const minimal = minimalRepository(repo);
  const created = '2024-03-01T10:00:00Z';
  return {
    ...minimal,
    clone_url: `${minimal.html_url}.git`,
    git_url: `git://github.com/${minimal.full_name}.git`,
    ssh_url: `git@github.com:${minimal.full_name}.git`,
    svn_url: minimal.html_url,
    mirror_url: null,
    homepage: null,
    language: 'TypeScript',
    forks: 0,
    forks_count: 0,
    stargazers_count: 3,
    watchers_count: 3,
    watchers: 3,
    size: 2048,
    default_branch: repo.defaultBranch,
    open_issues_count: 2,
    open_issues: 2,
    has_issues: true,
    has_projects: false,
    has_wiki: false,
    has_pages: false,
    has_discussions: false,
    archived: false,
    disabled: false,
    license: null,
    pushed_at: created,
    created_at: created,
    updated_at: created,
    network_count: 0,
    subscribers_count: 4,
  };
}

const plusMinutes = (iso: string, minutes: number) =>
  new Date(Date.parse(iso) + minutes * 60_000)
    .toISOString()
    .replace('.000', '');

const workflowPath = (name: string) =>
  `.github/workflows/${name.toLowerCase().replace(/\W+/g, '-')}.yml`;

function workflow(repo: FakeRepository, name: string) {
  const full = `${repo.owner}/${repo.repo}`;
  const id = idOf(`${full}/${workflowPath(name)}`);
  return {
    id,
    node_id: `W_${id}`,
    name,
    path: workflowPath(name),
    state: 'active',
    created_at: '2024-03-01T10:00:00.000Z',
    updated_at: '2024-03-01T10:00:00.000Z',
    url: `${API}/repos/${full}/actions/workflows/${id}`,
    html_url: `${WEB}/${full}/blob/main/${workflowPath(name)}`,
    badge_url: `${WEB}/${full}/workflows/${encodeURIComponent(name)}/badge.svg`,
  };
}

function workflowRun(repo: FakeRepository, run: FakeRun) {
  const full = `${repo.owner}/${repo.repo}`;
  const url = `${API}/repos/${full}/actions/runs/${run.id}`;
  const path = workflowPath(run.workflow);
  const workflowId = idOf(`${full}/${path}`);
  const actor = user(run.actor, idOf(run.actor));
  return {
    id: run.id,
    name: run.workflow,
    node_id: `WFR_${run.id}`,
    head_branch: run.branch,
    head_sha: run.sha,
    path,
    display_title: run.message.split('\n')[0],
    run_number: run.id % 1000,
    event: run.event,
    status: run.status,
    conclusion: run.conclusion,
    workflow_id: workflowId,
    url,
    html_url: `${WEB}/${full}/actions/runs/${run.id}`,
    pull_requests: [],
    created_at: run.createdAt,
    updated_at: plusMinutes(run.createdAt, run.minutes),
    run_started_at: run.createdAt,
    run_attempt: 1,
    actor,
    triggering_actor: actor,
    jobs_url: `${url}/jobs`,
    logs_url: `${url}/logs`,
    check_suite_url: `${API}/repos/${full}/check-suites/${run.id + 1}`,
    artifacts_url: `${url}/artifacts`,
    cancel_url: `${url}/cancel`,
    rerun_url: `${url}/rerun`,
    workflow_url: `${API}/repos/${full}/actions/workflows/${workflowId}`,
    head_commit: {
      id: run.sha,
      tree_id: createHash('sha1').update(`tree ${run.sha}`).digest('hex'),
      message: run.message,
      timestamp: plusMinutes(run.createdAt, -2),
      author: { name: run.actor, email: `${run.actor}@example.com` },
      committer: { name: run.actor, email: `${run.actor}@example.com` },
    },
    repository: minimalRepository(repo),
    head_repository: minimalRepository(repo),
  };
}

function jobs(repo: FakeRepository, run: FakeRun) {
  const full = `${repo.owner}/${repo.repo}`;
  const step = run.minutes / Math.max(1, run.jobs.length);
  return run.jobs.map((job, index) => {
    const id = run.id * 10 + index;
    const started = plusMinutes(run.createdAt, index * step);
    const done = job.conclusion !== null;
    return {
      id,
      run_id: run.id,
      run_url: `${API}/repos/${full}/actions/runs/${run.id}`,
      node_id: `CR_${id}`,
      head_sha: run.sha,
      head_branch: run.branch,
      workflow_name: run.workflow,
      url: `${API}/repos/${full}/actions/jobs/${id}`,
      html_url: `${WEB}/${full}/actions/runs/${run.id}/job/${id}`,
      status: done ? 'completed' : 'in_progress',
      conclusion: job.conclusion,
      created_at: started,
      started_at: started,
      completed_at: done ? plusMinutes(started, step) : null,
      name: job.name,
      check_run_url: `${API}/repos/${full}/check-runs/${id}`,
      labels: ['ubuntu-latest'],
      runner_id: 7,
      runner_name: 'GitHub Actions 7',
      runner_group_id: 1,
      runner_group_name: 'GitHub Actions',
    };
  });
}

function deployment(repo: FakeRepository, item: FakeDeployment) {
  const full = `${repo.owner}/${repo.repo}`;
  const url = `${API}/repos/${full}/deployments/${item.id}`;
  return {
    url,
    id: item.id,
    node_id: `DE_${item.id}`,
    sha: item.sha,
    ref: item.ref,
    task: 'deploy',
    payload: item.version ? { version: item.version } : {},
    original_environment: item.environment,
    environment: item.environment,
    description: null,
    creator: user(item.creator, idOf(item.creator)),
    created_at: item.createdAt,
    updated_at: plusMinutes(item.createdAt, 3),
    statuses_url: `${url}/statuses`,
    repository_url: `${API}/repos/${full}`,
    transient_environment: false,
    production_environment: item.environment === 'production',
  };
}

function deploymentStatus(repo: FakeRepository, item: FakeDeployment) {
  const full = `${repo.owner}/${repo.repo}`;
  const id = item.id * 10 + 1;
  return {
    url: `${API}/repos/${full}/deployments/${item.id}/statuses/${id}`,
    id,
    node_id: `DES_${id}`,
    state: item.state,
    creator: user(item.creator, idOf(item.creator)),
    description: `Deployed ${item.version ?? item.ref}`,
    environment: item.environment,
    target_url: `${WEB}/${full}/actions`,
    created_at: plusMinutes(item.createdAt, 3),
    updated_at: plusMinutes(item.createdAt, 3),
    deployment_url: `${API}/repos/${full}/deployments/${item.id}`,
    repository_url: `${API}/repos/${full}`,
    environment_url: `https://${item.environment}.${repo.repo}.example.com`,
    log_url: `${WEB}/${full}/actions`,
  };
}

/** `GET /repos/{owner}/{repo}/commits/{sha}` of a deployed commit. */
function commit(repo: FakeRepository, item: FakeDeployment) {
  const full = `${repo.owner}/${repo.repo}`;
  const url = `${API}/repos/${full}/commits/${item.sha}`;
  const tree = createHash('sha1').update(`tree ${item.sha}`).digest('hex');
  const parent = createHash('sha1').update(`parent ${item.sha}`).digest('hex');
  const person = {
    name: item.creator,
    email: `${item.creator}@example.com`,
    date: item.committedAt,
  };
  return {
    url,
    sha: item.sha,
    node_id: `C_${item.sha.slice(0, 12)}`,
    html_url: `${WEB}/${full}/commit/${item.sha}`,
    comments_url: `${url}/comments`,
    commit: {
      url: `${API}/repos/${full}/git/commits/${item.sha}`,
      author: person,
      committer: person,
      message: `Release ${item.version ?? item.ref}`,
      comment_count: 0,
      tree: { sha: tree, url: `${API}/repos/${full}/git/trees/${tree}` },
    },
    author: user(item.creator, idOf(item.creator)),
    committer: user(item.creator, idOf(item.creator)),
    parents: [
      {
        sha: parent,
        url: `${API}/repos/${full}/commits/${parent}`,
        html_url: `${WEB}/${full}/commit/${parent}`,
      },
    ],
    stats: { additions: 12, deletions: 3, total: 15 },
    files: [],
  };
}

/** The fake's answers, exactly as GitHub would send them (the contract test checks these). */
export const githubShapes = {
  commit,
  fullRepository,
  workflow,
  workflowRun,
  jobs,
  deployment,
  deploymentStatus,
};

function page<T>(items: T[], query: URLSearchParams) {
  const perPage = Math.min(100, Number(query.get('per_page') ?? 30));
  const pageNumber = Math.max(1, Number(query.get('page') ?? 1));
  return items.slice((pageNumber - 1) * perPage, pageNumber * perPage);
}

/** Answers a request against the fake repositories, with ETags and 304s like GitHub's. */
export function fakeGithub(
  repositories: FakeRepository[],
  request: FakeRequest,
): FakeResponse {
  const match = /^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/.exec(request.path);
  const repo =
    match &&
    repositories.find(
      r =>
        r.owner.toLowerCase() === match[1].toLowerCase() &&
        r.repo.toLowerCase() === match[2].toLowerCase(),
    );
  const notFound: FakeResponse = {
    status: 404,
    headers: { 'content-type': 'application/json' },
    body: {
      message: 'Not Found',
      documentation_url: 'https://docs.github.com/rest',
      status: '404',
    },
  };
  if (!repo) return notFound;
  const rest = match[3] ?? '';
  if (request.method === 'POST') {
    const rerun = /^\/actions\/runs\/(\d+)\/rerun$/.exec(rest);
    if (rerun && repo.runs.some(r => r.id === Number(rerun[1]))) {
      return {
        status: 201,
        headers: { 'content-type': 'application/json' },
        body: {},
      };
    }
    return notFound;
  }
  const runOf = (id: string) => repo.runs.find(r => r.id === Number(id));
  const runsOf = (include: (run: FakeRun) => boolean) => {
    const branch = request.query.get('branch');
    const runs = repo.runs
      .filter(r => include(r) && (!branch || r.branch === branch))
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    return {
      total_count: runs.length,
      workflow_runs: page(runs, request.query).map(r => workflowRun(repo, r)),
    };
  };
  // Each route: its path below the repository, and its answer (undefined: not found).
  const routes: Array<[RegExp, (id: string) => unknown]> = [
    [/^$/, () => fullRepository(repo)],
    [/^\/actions\/runs$/, () => runsOf(() => true)],
    [
      /^\/actions\/workflows$/,
      () => {
        const names = [...new Set(repo.runs.map(r => r.workflow))].sort();
        return {
          total_count: names.length,
          workflows: names.map(name => workflow(repo, name)),
        };
      },
    ],
    [
      /^\/actions\/workflows\/(\d+)\/runs$/,
      id => {
        const name = [...new Set(repo.runs.map(r => r.workflow))].find(
          candidate => String(workflow(repo, candidate).id) === id,
        );
        return name && runsOf(run => run.workflow === name);
      },
    ],
    [
      /^\/actions\/runs\/(\d+)$/,
      id => {
        const run = runOf(id);
        return run && workflowRun(repo, run);
      },
    ],
    [
      /^\/actions\/runs\/(\d+)\/jobs$/,
      id => {
        const run = runOf(id);
        const all = run && jobs(repo, run);
        return (
          all && { total_count: all.length, jobs: page(all, request.query) }
        );
      },
    ],
    [
      /^\/deployments$/,
      () =>
        page(
          [...repo.deployments].sort((a, b) =>
            b.createdAt.localeCompare(a.createdAt),
          ),
          request.query,
        ).map(d => deployment(repo, d)),
    ],
    [
      /^\/commits\/([0-9a-f]{40})$/,
      sha => {
        const item = repo.deployments.find(
          d => d.sha === sha && d.committedAt !== undefined,
        );
        return item && commit(repo, item);
      },
    ],
    [
      /^\/deployments\/(\d+)\/statuses$/,
      id => {
        const item = repo.deployments.find(d => d.id === Number(id));
        return item && [deploymentStatus(repo, item)];
      },
    ],
  ];
  const route = routes
    .map(([pattern, answer]) => ({ found: pattern.exec(rest), answer }))
    .find(candidate => candidate.found);
  const body = route?.answer(route.found![1]);
  if (body === undefined) return notFound;
  const etag = `W/"${createHash('sha1')
    .update(JSON.stringify(body))
    .digest('hex')}"`;
  const headers = {
    'content-type': 'application/json; charset=utf-8',
    etag,
    'x-ratelimit-limit': '5000',
    'x-ratelimit-remaining': '4999',
  };
  if (request.headers.get('if-none-match') === etag) {
    return { status: 304, headers };
  }
  return { status: 200, headers, body };
}
