import { Entity } from '@backstage/catalog-model';
import { Config } from '@backstage/config';
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
} from '@internal/plugin-environments-node';

/** `[instance:]folder/job`, comma-separated for several jobs, as the Jenkins plugin reads it. */
export const JENKINS_JOB_ANNOTATION = 'jenkins.io/job-full-name';

/** Multibranch projects: builds of at most this many branches are read for a summary. */
const MAX_BRANCHES = 10;

export interface JenkinsInstance {
  name: string;
  baseUrl: string;
  username?: string;
  apiKey?: string;
  headers?: Record<string, string>;
}

interface JobRef {
  instance: JenkinsInstance;
  fullName: string;
}

interface Build {
  number: number;
  url: string;
  result: string | null;
  building: boolean;
  timestamp: number;
  duration: number;
  actions?: Array<{
    causes?: Array<{ userId?: string; userName?: string }>;
    lastBuiltRevision?: { SHA1: string; branch?: Array<{ name: string }> };
    parameters?: Array<{ name: string; value?: unknown }>;
  } | null>;
  /** Commits new since the previous build: Pipeline jobs list them per checkout... */
  changeSets?: ChangeSet[];
  /** ...freestyle jobs in one. */
  changeSet?: ChangeSet;
}

interface ChangeSet {
  items?: Array<{ commitId?: string; timestamp?: number }>;
}

/**
 * When the built commit was committed, from the build's change sets: that commit's time, or
 * the newest listed (the head, when the revision is not among them). Undefined when Jenkins
 * lists no commits (a build of nothing new, or a job without SCM).
 */
function committedAt(
  build: Build,
  sha: string | undefined,
): string | undefined {
  const items = [
    ...(build.changeSets ?? []),
    ...(build.changeSet ? [build.changeSet] : []),
  ].flatMap(set => set.items ?? []);
  const known = items.filter(item => typeof item.timestamp === 'number');
  const built = known.find(item => item.commitId === sha);
  const time =
    built?.timestamp ??
    (known.length
      ? Math.max(...known.map(item => item.timestamp!))
      : undefined);
  return time === undefined ? undefined : new Date(time).toISOString();
}

interface Stages {
  stages?: Array<{
    id: string;
    name: string;
    status: string;
    startTimeMillis: number;
    durationMillis: number;
  }>;
}

interface JobInfo {
  /** Jenkins names the class of every object it answers with. */
  _class: string;
  url: string;
  builds?: Build[];
  jobs?: Array<{ name: string; url: string }>;
}

/** A build's result (and whether it is still going) as one status. */
export function buildStatus(
  result: string | null,
  building: boolean,
): CiRunStatus {
  if (building) return 'running';
  switch (result) {
    case 'SUCCESS':
      return 'succeeded';
    case 'FAILURE':
    case 'UNSTABLE':
      return 'failed';
    case 'ABORTED':
      return 'cancelled';
    case 'NOT_BUILT':
      return 'skipped';
    case null:
      return 'queued';
    default:
      return 'unknown';
  }
}

/** A Pipeline stage's status as one status. */
function stageStatus(status: string): CiRunStatus {
  switch (status) {
    case 'SUCCESS':
      return 'succeeded';
    case 'FAILED':
    case 'UNSTABLE':
      return 'failed';
    case 'IN_PROGRESS':
      return 'running';
    case 'ABORTED':
      return 'cancelled';
    case 'NOT_EXECUTED':
      return 'skipped';
    case 'PAUSED_PENDING_INPUT':
      return 'queued';
    default:
      return 'unknown';
  }
}

const BUILD_TREE =
  'number,url,result,building,timestamp,duration,actions[causes[userId,userName],lastBuiltRevision[SHA1,branch[name]],parameters[name,value]],changeSets[items[commitId,timestamp]],changeSet[items[commitId,timestamp]]';

/** A multibranch project's branch job: the branch name, encoded as Jenkins names the job. */
const branchPath = (branch: string | undefined) =>
  branch ? `/job/${encodeURIComponent(encodeURIComponent(branch))}` : '';

const jobPath = (fullName: string) =>
  fullName
    .split('/')
    .map(part => `job/${encodeURIComponent(part)}`)
    .join('/');

/**
 * Jenkins builds of the jobs an entity names in `jenkins.io/job-full-name` (folders, pipelines
 * and multibranch projects, on named instances). Jenkins has no deployments API: builds with an
 * environment parameter (ENVIRONMENT, DEPLOY_ENV, TARGET_ENV by default) are the deployments.
 */
export class JenkinsCiProvider implements CiProvider {
  readonly id = 'jenkins';

  constructor(
    private readonly options: {
      instances: JenkinsInstance[];
      http: CiHttpClient;
      environmentParameters?: string[];
      versionParameters?: string[];
    },
  ) {}

  /** The instances and parameter names configured at `environments.jenkins`. */
  static fromConfig(
    config: Config,
    http: CiHttpClient,
  ): JenkinsCiProvider | undefined {
    const jenkins = config.getOptionalConfig('environments.jenkins');
    if (!jenkins) return undefined;
    return new JenkinsCiProvider({
      http,
      instances: jenkins.getConfigArray('instances').map(instance => ({
        name: instance.getString('name'),
        baseUrl: instance.getString('baseUrl').replace(/\/+$/, ''),
        username: instance.getOptionalString('username'),
        apiKey: instance.getOptionalString('apiKey'),
        headers: instance.getOptional<Record<string, string>>('headers'),
      })),
      environmentParameters: jenkins.getOptionalStringArray(
        'environmentParameters',
      ),
      versionParameters: jenkins.getOptionalStringArray('versionParameters'),
    });
  }

  appliesTo(entity: Entity): boolean {
    return this.jobs(entity).length > 0;
  }

  async getDefaultBranch(entity: Entity): Promise<string | undefined> {
    // Jenkins knows no default branch; multibranch projects conventionally build main.
    const branches = await Promise.all(
      this.required(entity).map(async job => {
        const info = await this.get<JobInfo>(job, `/api/json?tree=jobs[name]`);
        return info.jobs?.map(branch => decodeURIComponent(branch.name)) ?? [];
      }),
    );
    const all = branches.flat();
    return (
      ['main', 'master'].find(name => all.includes(name)) ??
      (all.length ? undefined : 'main')
    );
  }

  async listRuns(
    entity: Entity,
    options: { branch?: string; cursor?: string; limit: number },
  ): Promise<CiPage<CiRun>> {
    const page = Number(options.cursor ?? 0);
    if (!Number.isInteger(page) || page < 0) {
      throw new CiUpstreamError(
        `Not a page of Jenkins builds: ${options.cursor}`,
        'refused',
      );
    }
    const from = page * options.limit;
    const to = from + options.limit;
    const runs = (
      await Promise.all(
        this.required(entity).map(job =>
          this.jobRuns(job, options.branch, from, to),
        ),
      )
    ).flat();
    runs.sort((a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? ''));
    return {
      items: runs,
      nextCursor: runs.length >= options.limit ? String(page + 1) : undefined,
    };
  }

  async getRun(entity: Entity, runId: string): Promise<CiRunDetail> {
    const { job, branch, number } = this.parseRunId(entity, runId);
    const path = branchPath(branch);
    const [build, stages] = await Promise.all([
      this.get<Build>(job, `${path}/${number}/api/json?tree=${BUILD_TREE}`),
      this.get<Stages>(job, `${path}/${number}/wfapi/describe`).catch(error => {
        // Freestyle jobs have no stages.
        if (error instanceof CiUpstreamError && error.problem === 'not-found')
          return {} as Stages;
        throw error;
      }),
    ]);
    return {
      ...this.toRun(job, build, branch),
      jobs: (stages.stages ?? []).map(
        (stage): CiJob => ({
          id: stage.id,
          name: stage.name,
          status: stageStatus(stage.status),
          startedAt: new Date(stage.startTimeMillis).toISOString(),
          durationMs: stage.durationMillis,
          url: `${build.url}pipeline-graph/`,
        }),
      ),
    };
  }

  async listDeployments(
    entity: Entity,
    options: { cursor?: string; limit: number },
  ): Promise<CiPage<CiDeployment>> {
    const environmentNames = this.options.environmentParameters ?? [
      'ENVIRONMENT',
      'DEPLOY_ENV',
      'TARGET_ENV',
    ];
    const versionNames = this.options.versionParameters ?? [
      'VERSION',
      'RELEASE',
      'TAG',
    ];
    const page = Number(options.cursor ?? 0);
    const items: CiDeployment[] = [];
    for (const job of this.required(entity)) {
      const info = await this.getJob(
        job,
        `/api/json?tree=builds[${BUILD_TREE}]{${page * options.limit},${
          (page + 1) * options.limit
        }}`,
      );
      for (const build of info.builds ?? []) {
        const parameters = new Map<string, string>();
        for (const action of build.actions ?? []) {
          for (const parameter of action?.parameters ?? []) {
            if (typeof parameter.value === 'string')
              parameters.set(parameter.name, parameter.value);
          }
        }
        const environment = environmentNames
          .map(n => parameters.get(n))
          .find(Boolean);
        if (!environment) continue;
        const run = this.toRun(job, build, undefined);
        items.push({
          provider: this.id,
          id: `${job.instance.name}:${job.fullName}#${build.number}`,
          environmentName: environment,
          version:
            versionNames.map(n => parameters.get(n)).find(Boolean) ??
            run.commitSha?.slice(0, 8),
          commitSha: run.commitSha,
          committedAt: committedAt(build, run.commitSha),
          status: run.status,
          createdAt: run.createdAt!,
          createdBy: run.actor,
          url: run.url,
        });
      }
    }
    return { items, nextCursor: items.length ? String(page + 1) : undefined };
  }

  async rerun(entity: Entity, runId: string): Promise<void> {
    const { job, branch, number } = this.parseRunId(entity, runId);
    const path = branchPath(branch);
    // Jenkins builds the job again with the same parameters (API tokens need no CSRF crumb).
    const build = await this.get<Build>(
      job,
      `${path}/${number}/api/json?tree=${BUILD_TREE}`,
    );
    const parameters = new URLSearchParams();
    for (const action of build.actions ?? []) {
      for (const parameter of action?.parameters ?? []) {
        parameters.set(parameter.name, String(parameter.value ?? ''));
      }
    }
    const endpoint = [...parameters.keys()].length
      ? `/buildWithParameters?${parameters}`
      : '/build';
    await this.options.http.post(this.url(job, `${path}${endpoint}`), {
      headers: this.headers(job.instance),
    });
  }

  private async jobRuns(
    job: JobRef,
    branch: string | undefined,
    from: number,
    to: number,
  ): Promise<CiRun[]> {
    const info = await this.getJob(
      job,
      `/api/json?tree=jobs[name,url],builds[${BUILD_TREE}]{${from},${to}}`,
    );
    if (!info.jobs) {
      return (info.builds ?? [])
        .slice(0, to - from)
        .map(build => this.toRun(job, build, undefined))
        .filter(run => !branch || run.branch === branch);
    }
    // A multibranch project: its branches are jobs of their own.
    const branches = info.jobs
      .map(entry => decodeURIComponent(entry.name))
      .filter(name => !branch || name === branch)
      .slice(0, MAX_BRANCHES);
    const perBranch = await Promise.all(
      branches.map(async name => {
        const branchInfo = await this.getJob(
          job,
          `${branchPath(
            name,
          )}/api/json?tree=builds[${BUILD_TREE}]{${from},${to}}`,
        );
        return (branchInfo.builds ?? [])
          .slice(0, to - from)
          .map(build => this.toRun(job, build, name));
      }),
    );
    return perBranch.flat();
  }

  private toRun(job: JobRef, build: Build, branch: string | undefined): CiRun {
    const revision = build.actions?.find(
      a => a?.lastBuiltRevision,
    )?.lastBuiltRevision;
    const cause = build.actions
      ?.flatMap(a => a?.causes ?? [])
      .find(c => c.userId || c.userName);
    const startedAt = new Date(build.timestamp).toISOString();
    const finished = !build.building && build.result !== null;
    return {
      provider: this.id,
      id: `${job.instance.name}:${job.fullName}${branch ? `@${branch}` : ''}#${
        build.number
      }`,
      name: job.fullName,
      branch:
        branch ??
        revision?.branch?.[0]?.name.replace(/^(refs\/remotes\/)?origin\//, ''),
      commitSha: revision?.SHA1,
      actor: cause?.userName ?? cause?.userId,
      status: buildStatus(build.result, build.building),
      createdAt: startedAt,
      startedAt,
      finishedAt: finished
        ? new Date(build.timestamp + build.duration).toISOString()
        : undefined,
      durationMs: finished ? build.duration : undefined,
      url: build.url,
    };
  }

  /** `instance:folder/job@branch#number` back into its parts, for a job the entity names. */
  private parseRunId(entity: Entity, runId: string) {
    const match = /^([^:]+):(.+?)(?:@(.+))?#(\d+)$/.exec(runId);
    const job =
      match &&
      this.required(entity).find(
        candidate =>
          candidate.instance.name === match[1] &&
          candidate.fullName === match[2],
      );
    if (!match || !job) {
      throw new CiUpstreamError(
        `No Jenkins build ${runId} for ${entity.metadata.name}`,
        'not-found',
      );
    }
    return { job, branch: match[3], number: Number(match[4]) };
  }

  private jobs(entity: Entity): JobRef[] {
    const annotation = entity.metadata.annotations?.[JENKINS_JOB_ANNOTATION];
    if (!annotation) return [];
    const { instances } = this.options;
    const fallback =
      instances.find(instance => instance.name === 'default') ??
      (instances.length === 1 ? instances[0] : undefined);
    return annotation
      .split(',')
      .map(part => part.trim())
      .filter(Boolean)
      .flatMap(part => {
        const colon = part.indexOf(':');
        const named =
          colon > 0
            ? instances.find(i => i.name === part.slice(0, colon))
            : undefined;
        const instance = named ?? fallback;
        const fullName = named ? part.slice(colon + 1) : part;
        return instance && fullName ? [{ instance, fullName }] : [];
      });
  }

  private required(entity: Entity): JobRef[] {
    const jobs = this.jobs(entity);
    if (jobs.length === 0) {
      throw new CiUpstreamError(
        `${entity.metadata.name} names no Jenkins job on a configured instance`,
        'not-found',
      );
    }
    return jobs;
  }

  private headers(instance: JenkinsInstance): Record<string, string> {
    const auth: Record<string, string> =
      instance.username && instance.apiKey
        ? {
            Authorization: `Basic ${Buffer.from(
              `${instance.username}:${instance.apiKey}`,
            ).toString('base64')}`,
          }
        : {};
    return { ...instance.headers, ...auth };
  }

  private url(job: JobRef, path: string): string {
    return `${job.instance.baseUrl}/${jobPath(job.fullName)}${path}`;
  }

  /**
   * A job with its builds. JSON that is no Jenkins object (a proxy's error with a 200) fails
   * rather than read as a job without builds, which would replace the last known builds.
   */
  private async getJob(job: JobRef, path: string): Promise<JobInfo> {
    const info = await this.get<JobInfo | null>(job, path);
    if (typeof info?._class !== 'string') {
      throw new CiUpstreamError(
        `${
          new URL(job.instance.baseUrl).host
        } answered with JSON that is not a Jenkins job`,
        'unavailable',
      );
    }
    return info;
  }

  private get<T>(job: JobRef, path: string): Promise<T> {
    return this.options.http.getJson<T>(this.url(job, path), {
      headers: this.headers(job.instance),
      credentialKey: `jenkins:${job.instance.name}`,
    });
  }
}
