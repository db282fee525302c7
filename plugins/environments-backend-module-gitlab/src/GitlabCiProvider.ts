import { Entity } from '@backstage/catalog-model';
import {
  DefaultGitlabCredentialsProvider,
  GitlabCredentialsProvider,
  ScmIntegrationRegistry,
} from '@backstage/integration';
import {
  CiDeployment,
  CiHttpClient,
  CiPage,
  CiProvider,
  CiRun,
  CiRunDetail,
  CiRunStatus,
  CiUpstreamError,
  numericRunId,
  pageOf,
} from '@internal/plugin-environments-node';

/** The project by numeric id, as the community GitLab plugin reads it. */
export const GITLAB_PROJECT_ID_ANNOTATION = 'gitlab.com/project-id';
/** The project by path, `group/subgroup/project`. */
export const GITLAB_PROJECT_SLUG_ANNOTATION = 'gitlab.com/project-slug';
/** The GitLab host when not gitlab.com, e.g. `gitlab.acme.test`. */
export const GITLAB_INSTANCE_ANNOTATION = 'gitlab.com/instance';

interface Target {
  host: string;
  apiBaseUrl: string;
  /** The id or the URL-encoded path, as GitLab's API takes either. */
  project: string;
}

interface Pipeline {
  id: number;
  ref: string;
  sha: string;
  status: string;
  source?: string;
  created_at: string;
  updated_at: string;
  started_at?: string | null;
  finished_at?: string | null;
  duration?: number | null;
  user?: { username: string };
  web_url: string;
}

interface Job {
  id: number;
  name: string;
  stage: string;
  status: string;
  started_at: string | null;
  finished_at: string | null;
  duration: number | null;
  web_url: string;
}

interface Deployment {
  id: number;
  ref: string;
  sha: string;
  status: string;
  created_at: string;
  user?: { username: string };
  environment: { name: string };
  deployable?: {
    web_url?: string;
    pipeline?: { web_url?: string };
    /** Older GitLab versions send only `created_at` (the commit's time). */
    commit?: { committed_date?: string; created_at?: string };
  } | null;
}

/** GitLab's pipeline, job and deployment statuses as one status. */
export function gitlabStatus(status: string): CiRunStatus {
  switch (status) {
    case 'created':
    case 'waiting_for_resource':
    case 'preparing':
    case 'pending':
    case 'scheduled':
    case 'manual':
    case 'blocked':
      return 'queued';
    case 'running':
      return 'running';
    case 'success':
      return 'succeeded';
    case 'failed':
      return 'failed';
    case 'canceled':
    case 'canceling':
      return 'cancelled';
    case 'skipped':
      return 'skipped';
    default:
      return 'unknown';
  }
}

/**
 * GitLab CI pipelines and GitLab deployments, for entities with `gitlab.com/project-id` or
 * `gitlab.com/project-slug` (and `gitlab.com/instance` for self-managed GitLab), with the token
 * of the matching `integrations.gitlab` entry.
 */
export class GitlabCiProvider implements CiProvider {
  readonly id = 'gitlab';
  private readonly credentials: GitlabCredentialsProvider;

  constructor(
    private readonly integrations: ScmIntegrationRegistry,
    private readonly http: CiHttpClient,
    credentials?: GitlabCredentialsProvider,
  ) {
    this.credentials =
      credentials ??
      DefaultGitlabCredentialsProvider.fromIntegrations(integrations);
  }

  appliesTo(entity: Entity): boolean {
    return this.target(entity) !== undefined;
  }

  async getDefaultBranch(entity: Entity): Promise<string | undefined> {
    const project = await this.get<{ default_branch?: string }>(
      this.required(entity),
      '',
    );
    return project.default_branch;
  }

  async listRuns(
    entity: Entity,
    options: { branch?: string; cursor?: string; limit: number },
  ): Promise<CiPage<CiRun>> {
    const target = this.required(entity);
    const { page, perPage, query } = pageOf(options.cursor, options.limit);
    if (options.branch) query.set('ref', options.branch);
    const pipelines = await this.get<Pipeline[]>(target, `/pipelines?${query}`);
    return {
      items: pipelines.map(pipeline => this.toRun(target, pipeline)),
      nextCursor: pipelines.length === perPage ? String(page + 1) : undefined,
    };
  }

  async getRun(entity: Entity, runId: string): Promise<CiRunDetail> {
    const target = this.required(entity);
    const id = numericRunId(runId, `No GitLab pipeline ${runId}`);
    const [pipeline, jobs] = await Promise.all([
      this.get<Pipeline>(target, `/pipelines/${id}`),
      this.get<Job[]>(target, `/pipelines/${id}/jobs?per_page=100`),
    ]);
    return {
      ...this.toRun(target, pipeline),
      jobs: jobs.map(job => ({
        id: String(job.id),
        name: job.name,
        stage: job.stage,
        status: gitlabStatus(job.status),
        startedAt: job.started_at ?? undefined,
        finishedAt: job.finished_at ?? undefined,
        durationMs:
          job.duration === null ? undefined : Math.round(job.duration * 1000),
        url: job.web_url,
      })),
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
      `/deployments?order_by=created_at&sort=desc&${query}`,
    );
    return {
      items: deployments.map(deployment => ({
        provider: this.id,
        id: `${target.host}/${target.project}/${deployment.id}`,
        environmentName: deployment.environment.name,
        // A tag names a release; a branch deployment is known by its commit.
        version: /^v?\d/.test(deployment.ref)
          ? deployment.ref
          : deployment.sha.slice(0, 8),
        commitSha: deployment.sha,
        committedAt:
          deployment.deployable?.commit?.committed_date ??
          deployment.deployable?.commit?.created_at,
        status: gitlabStatus(deployment.status),
        createdAt: deployment.created_at,
        createdBy: deployment.user?.username,
        url:
          deployment.deployable?.pipeline?.web_url ??
          deployment.deployable?.web_url,
      })),
      nextCursor: deployments.length === perPage ? String(page + 1) : undefined,
    };
  }

  async rerun(entity: Entity, runId: string): Promise<void> {
    const target = this.required(entity);
    const { headers } = await this.auth(target);
    await this.http.post(
      `${target.apiBaseUrl}/projects/${target.project}/pipelines/${numericRunId(
        runId,
        `No GitLab pipeline ${runId}`,
      )}/retry`,
      { headers },
    );
  }

  private toRun(target: Target, pipeline: Pipeline): CiRun {
    const finished = pipeline.finished_at ?? undefined;
    return {
      provider: this.id,
      id: String(pipeline.id),
      name: decodeURIComponent(target.project).split('/').pop() ?? 'pipeline',
      branch: pipeline.ref,
      commitSha: pipeline.sha,
      event: pipeline.source,
      actor: pipeline.user?.username,
      status: gitlabStatus(pipeline.status),
      createdAt: pipeline.created_at,
      startedAt: pipeline.started_at ?? undefined,
      finishedAt: finished,
      durationMs:
        typeof pipeline.duration === 'number'
          ? Math.round(pipeline.duration * 1000)
          : undefined,
      url: pipeline.web_url,
    };
  }

  private target(entity: Entity): Target | undefined {
    const annotations = entity.metadata.annotations ?? {};
    const id = annotations[GITLAB_PROJECT_ID_ANNOTATION]?.trim();
    const slug = annotations[GITLAB_PROJECT_SLUG_ANNOTATION]?.trim();
    const project = id && /^\d+$/.test(id) ? id : slug;
    if (!project || (!id && !slug?.includes('/'))) return undefined;
    const host =
      annotations[GITLAB_INSTANCE_ANNOTATION]?.trim() || 'gitlab.com';
    const integration = this.integrations.gitlab.byHost(host);
    if (!integration && host !== 'gitlab.com') return undefined;
    return {
      host,
      apiBaseUrl: (
        integration?.config.apiBaseUrl ?? 'https://gitlab.com/api/v4'
      ).replace(/\/+$/, ''),
      project: encodeURIComponent(project),
    };
  }

  private required(entity: Entity): Target {
    const target = this.target(entity);
    if (!target) {
      throw new CiUpstreamError(
        `${entity.metadata.name} has no GitLab project this portal can reach`,
        'not-found',
      );
    }
    return target;
  }

  private async auth(target: Target) {
    const credentials = await this.credentials.getCredentials({
      url: `https://${target.host}/${decodeURIComponent(target.project)}`,
    });
    return {
      headers: credentials.headers ?? {},
      credentialKey: `gitlab:${target.host}`,
    };
  }

  private async get<T>(target: Target, path: string): Promise<T> {
    const { headers, credentialKey } = await this.auth(target);
    return this.http.getJson<T>(
      `${target.apiBaseUrl}/projects/${target.project}${path}`,
      { headers, credentialKey },
    );
  }
}
