import { Entity } from '@backstage/catalog-model';
import {
  DefaultGithubCredentialsProvider,
  GithubCredentialsProvider,
  ScmIntegrationRegistry,
} from '@backstage/integration';
import {
  CiDeployment,
  CiHttpClient,
  CiJob,
  CiPage,
  CiProvider,
  CiRun,
  CiRunDetail,
  CiRunStatus,
  CiUpstreamError,
  numericRunId,
  pageOf,
} from '@internal/plugin-environments-node';

/** The repository of an entity: `owner/repo`, as GitHub's own Backstage plugins read it. */
export const GITHUB_PROJECT_SLUG_ANNOTATION = 'github.com/project-slug';
/** Optional: only these workflows (names or file names, comma-separated) are shown. */
export const CI_WORKFLOWS_ANNOTATION = 'tem.dev/ci-workflows';

const SOURCE_LOCATION = 'backstage.io/source-location';

interface Target {
  host: string;
  apiBaseUrl: string;
  owner: string;
  repo: string;
  workflows?: string[];
}

interface WorkflowRun {
  id: number;
  name?: string | null;
  head_branch: string | null;
  head_sha: string;
  head_commit: { message: string } | null;
  event: string;
  actor?: { login: string };
  status: string | null;
  conclusion: string | null;
  created_at: string;
  run_started_at?: string;
  updated_at: string;
  html_url: string;
}

interface Job {
  id: number;
  name: string;
  status: string;
  conclusion: string | null;
  started_at: string;
  completed_at: string | null;
  html_url: string | null;
}

interface Deployment {
  id: number;
  sha: string;
  ref: string;
  environment: string;
  payload: unknown;
  creator: { login: string } | null;
  created_at: string;
}

/** GitHub's run status and conclusion as one status. */
export function runStatus(
  status: string | null,
  conclusion: string | null,
): CiRunStatus {
  if (status === 'in_progress') return 'running';
  if (status !== 'completed') {
    return status === null ? 'unknown' : 'queued';
  }
  switch (conclusion) {
    case 'success':
    case 'neutral':
      return 'succeeded';
    case 'failure':
    case 'timed_out':
    case 'startup_failure':
      return 'failed';
    case 'cancelled':
      return 'cancelled';
    case 'skipped':
      return 'skipped';
    case 'action_required':
      return 'queued';
    default:
      return 'unknown';
  }
}

/** A deployment status's state as a run status; `inactive` is a deployment since replaced. */
export function deploymentStatus(state: string | undefined): CiRunStatus {
  switch (state) {
    case 'success':
    case 'inactive':
      return 'succeeded';
    case 'failure':
    case 'error':
      return 'failed';
    case 'in_progress':
      return 'running';
    case 'queued':
    case 'pending':
      return 'queued';
    default:
      return 'unknown';
  }
}

/** What a deployment shipped: `payload.version` if set, else the ref, else the short sha. */
function deploymentVersion(deployment: Deployment): string {
  const payload = deployment.payload as { version?: unknown } | null;
  if (typeof payload?.version === 'string') return payload.version;
  if (deployment.ref !== deployment.sha) return deployment.ref;
  return deployment.sha.slice(0, 7);
}

const span = (from?: string | null, to?: string | null) =>
  from && to ? Math.max(0, Date.parse(to) - Date.parse(from)) : undefined;

/**
 * GitHub Actions workflow runs and GitHub deployments, for entities with
 * `github.com/project-slug`, on github.com or GitHub Enterprise (`integrations.github`), with a
 * GitHub App or a token from Backstage's credentials provider.
 */
export class GithubCiProvider implements CiProvider {
  readonly id = 'github';
  private readonly credentials: GithubCredentialsProvider;

  constructor(
    private readonly integrations: ScmIntegrationRegistry,
    private readonly http: CiHttpClient,
    credentials?: GithubCredentialsProvider,
  ) {
    this.credentials =
      credentials ??
      DefaultGithubCredentialsProvider.fromIntegrations(integrations);
  }

  appliesTo(entity: Entity): boolean {
    return this.target(entity) !== undefined;
  }

  async getDefaultBranch(entity: Entity): Promise<string | undefined> {
    const target = this.required(entity);
    const repo = await this.get<{ default_branch: string }>(target, '');
    return repo.default_branch;
  }

  async listRuns(
    entity: Entity,
    options: { branch?: string; cursor?: string; limit: number },
  ): Promise<CiPage<CiRun>> {
    const target = this.required(entity);
    const { page, perPage, query } = pageOf(options.cursor, options.limit);
    if (options.branch) query.set('branch', options.branch);
    type RunList = { total_count: number; workflow_runs: WorkflowRun[] };
    // Named workflows are asked for one by one, so a rarely run one is not paged away
    // behind busier ones.
    const lists: RunList[] = target.workflows
      ? await Promise.all(
          (
            await this.workflowIds(target)
          ).map(id =>
            this.get<RunList>(target, `/actions/workflows/${id}/runs?${query}`),
          ),
        )
      : [await this.get<RunList>(target, `/actions/runs?${query}`)];
    const runs = lists
      .flatMap(list => list.workflow_runs)
      .map(run => this.toRun(run))
      .sort((a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? ''));
    return {
      items: runs,
      nextCursor: lists.some(list => list.total_count > page * perPage)
        ? String(page + 1)
        : undefined,
    };
  }

  /** The ids of the workflows the entity names in `tem.dev/ci-workflows`. */
  private async workflowIds(target: Target): Promise<number[]> {
    const { workflows } = await this.get<{
      workflows: Array<{ id: number; name: string; path: string }>;
    }>(target, '/actions/workflows?per_page=100');
    const wanted = target.workflows ?? [];
    return workflows
      .filter(
        workflow =>
          wanted.includes(workflow.name) ||
          wanted.includes(workflow.path.split('/').pop() ?? ''),
      )
      .map(workflow => workflow.id);
  }

  async getRun(entity: Entity, runId: string): Promise<CiRunDetail> {
    const target = this.required(entity);
    const id = numericRunId(runId, `No GitHub run ${runId}`);
    const [run, jobs] = await Promise.all([
      this.get<WorkflowRun>(target, `/actions/runs/${id}`),
      this.get<{ jobs: Job[] }>(
        target,
        `/actions/runs/${id}/jobs?per_page=100`,
      ),
    ]);
    return {
      ...this.toRun(run),
      jobs: jobs.jobs.map(
        (job): CiJob => ({
          id: String(job.id),
          name: job.name,
          status: runStatus(job.status, job.conclusion),
          startedAt: job.started_at,
          finishedAt: job.completed_at ?? undefined,
          durationMs: span(job.started_at, job.completed_at),
          url: job.html_url ?? undefined,
        }),
      ),
    };
  }

  async listDeployments(
    entity: Entity,
    options: { cursor?: string; limit: number },
  ): Promise<CiPage<CiDeployment>> {
    const target = this.required(entity);
    const { page, perPage, query } = pageOf(options.cursor, options.limit);
    const deployments = await this.get<Deployment[]>(
      target,
      `/deployments?${query}`,
    );
    // A deployment's commit time is its commit's: one request per commit (a commit deployed
    // to several environments is asked for once), answered 304 (free) once known.
    const commitTimes = new Map(
      await Promise.all(
        [...new Set(deployments.map(d => d.sha))].map(
          async sha => [sha, await this.commitTime(target, sha)] as const,
        ),
      ),
    );
    // A deployment's outcome is its latest status: one more request each, answered 304
    // (free) once known.
    const items = await Promise.all(
      deployments.map(async (deployment): Promise<CiDeployment> => {
        const [latest] = await this.get<
          Array<{ state: string; target_url?: string }>
        >(target, `/deployments/${deployment.id}/statuses?per_page=1`);
        const version = deploymentVersion(deployment);
        return {
          provider: this.id,
          // Unique across GitHub hosts and repositories.
          id: `${target.host}/${target.owner}/${target.repo}/${deployment.id}`,
          environmentName: deployment.environment,
          version,
          commitSha: deployment.sha,
          committedAt: commitTimes.get(deployment.sha),
          status: deploymentStatus(latest?.state),
          createdAt: deployment.created_at,
          createdBy: deployment.creator?.login,
          url: latest?.target_url || undefined,
        };
      }),
    );
    return {
      items,
      nextCursor: deployments.length === perPage ? String(page + 1) : undefined,
    };
  }

  /**
   * When a commit was committed (its committer date: when it landed on the branch, after a
   * rebase or merge too). Undefined when GitHub does not know the commit (force-pushed away:
   * 404 or 422), which leaves that deployment without a lead time rather than failing the rest.
   */
  private async commitTime(
    target: Target,
    sha: string,
  ): Promise<string | undefined> {
    try {
      const answer = await this.get<{
        commit: { committer: { date?: string } | null };
      }>(target, `/commits/${sha}`);
      return answer.commit.committer?.date;
    } catch (error) {
      if (
        error instanceof CiUpstreamError &&
        (error.problem === 'not-found' || error.problem === 'refused')
      ) {
        return undefined;
      }
      throw error;
    }
  }

  async rerun(entity: Entity, runId: string): Promise<void> {
    const target = this.required(entity);
    const { headers } = await this.auth(target);
    await this.http.post(
      `${target.apiBaseUrl}/repos/${target.owner}/${
        target.repo
      }/actions/runs/${numericRunId(runId, `No GitHub run ${runId}`)}/rerun`,
      { headers },
    );
  }

  private toRun(run: WorkflowRun): CiRun {
    const status = runStatus(run.status, run.conclusion);
    const started = run.run_started_at ?? run.created_at;
    const finished = run.status === 'completed' ? run.updated_at : undefined;
    return {
      provider: this.id,
      id: String(run.id),
      name: run.name ?? 'workflow',
      branch: run.head_branch ?? undefined,
      commitSha: run.head_sha,
      commitMessage: run.head_commit?.message.split('\n')[0],
      event: run.event,
      actor: run.actor?.login,
      status,
      createdAt: run.created_at,
      startedAt: started,
      finishedAt: finished,
      durationMs: span(started, finished),
      url: run.html_url,
    };
  }

  /** The repository named by the entity's slug, on the host of its source location. */
  private target(entity: Entity): Target | undefined {
    const annotations = entity.metadata.annotations ?? {};
    const slug = annotations[GITHUB_PROJECT_SLUG_ANNOTATION];
    const [owner, repo, ...rest] = slug?.split('/') ?? [];
    if (!owner || !repo || rest.length > 0) return undefined;
    const source = annotations[SOURCE_LOCATION]?.replace(/^url:/, '');
    let host = 'github.com';
    try {
      const sourceHost = source ? new URL(source).host : undefined;
      if (sourceHost && this.integrations.github.byHost(sourceHost))
        host = sourceHost;
    } catch {
      // Not a URL: the slug is on github.com.
    }
    const integration = this.integrations.github.byHost(host);
    const workflows = annotations[CI_WORKFLOWS_ANNOTATION]?.split(',')
      .map(name => name.trim())
      .filter(Boolean);
    return {
      host,
      apiBaseUrl: (
        integration?.config.apiBaseUrl ?? 'https://api.github.com'
      ).replace(/\/+$/, ''),
      owner,
      repo,
      workflows: workflows?.length ? workflows : undefined,
    };
  }

  private required(entity: Entity): Target {
    const target = this.target(entity);
    if (!target) {
      throw new CiUpstreamError(
        `${entity.metadata.name} has no valid ${GITHUB_PROJECT_SLUG_ANNOTATION}`,
        'not-found',
      );
    }
    return target;
  }

  private async auth(target: Target) {
    const credentials = await this.credentials.getCredentials({
      url: `https://${target.host}/${target.owner}/${target.repo}`,
    });
    return {
      headers: {
        Accept: 'application/vnd.github+json',
        'X-GitHub-Api-Version': '2022-11-28',
        ...credentials.headers,
      },
      // ETags are only honoured for the credential that got them.
      credentialKey: `${target.host}/${target.owner}:${credentials.type}`,
    };
  }

  private async get<T>(target: Target, path: string): Promise<T> {
    const { headers, credentialKey } = await this.auth(target);
    return this.http.getJson<T>(
      `${target.apiBaseUrl}/repos/${target.owner}/${target.repo}${path}`,
      { headers, credentialKey },
    );
  }
}
