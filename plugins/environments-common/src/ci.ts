/**
 * Pipelines and deployments as the environments plugin shows them, whatever CI system they come
 * from (GitHub Actions, GitLab CI, Jenkins).
 */

/** Normalised status of a pipeline run, whatever CI system it comes from. */
export type CiRunStatus =
  | 'queued'
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'cancelled'
  | 'skipped'
  | 'unknown';

/** One pipeline run (a GitHub Actions workflow run, a GitLab pipeline, a Jenkins build). */
export interface CiRun {
  provider: string;
  id: string;
  /** The workflow, pipeline or job it belongs to. */
  name: string;
  branch?: string;
  commitSha?: string;
  commitMessage?: string;
  /** What started it: `push`, `schedule`, `merge_request_event`, ... */
  event?: string;
  /** Who started it. */
  actor?: string;
  status: CiRunStatus;
  createdAt?: string;
  startedAt?: string;
  finishedAt?: string;
  durationMs?: number;
  url?: string;
}

/** A step of a run: a GitHub job, a GitLab job, a Jenkins stage. */
export interface CiJob {
  id: string;
  name: string;
  /** GitLab stage or Jenkins parent stage, when the CI system has one. */
  stage?: string;
  status: CiRunStatus;
  startedAt?: string;
  finishedAt?: string;
  durationMs?: number;
  url?: string;
}

/** A run with its jobs. */
export interface CiRunDetail extends CiRun {
  jobs: CiJob[];
}

/** A deployment of a component to an environment, as the CI system reports it. */
export interface CiDeployment {
  provider: string;
  /** Unique per provider: stored idempotently on (provider, id). */
  id: string;
  /** The environment's name in the CI system; matched to catalog environments by name. */
  environmentName: string;
  version?: string;
  commitSha?: string;
  /**
   * When the deployed commit was committed, as the CI system reports it: the start of the lead
   * time for changes. Absent when the CI system does not say.
   */
  committedAt?: string;
  status: CiRunStatus;
  createdAt: string;
  createdBy?: string;
  url?: string;
}

/** A page of results; `nextCursor` is opaque to callers and absent on the last page. */
export interface CiPage<T> {
  items: T[];
  nextCursor?: string;
}

/** How fresh a provider's data is. */
export interface CiSourceState {
  provider: string;
  /**
   * `ok`: read from the CI system (at `asOf`, possibly being refreshed). `stale`: the last
   * refresh failed (`reason`); this is the last known data from `asOf`. `unavailable`: it
   * failed and nothing is known.
   */
  status: 'ok' | 'stale' | 'unavailable';
  reason?: string;
  asOf?: string;
}

/** Response of `GET /pipelines`: the latest run per workflow and branch, default branch first. */
export interface PipelineSummary {
  entityRef: string;
  providers: Array<CiSourceState & { defaultBranch?: string; latest: CiRun[] }>;
}

/** Response of `GET /pipelines/runs`: one page of a provider's run history. */
export interface PipelineRunPage {
  entityRef: string;
  source: CiSourceState;
  items: CiRun[];
  nextCursor?: string;
}

/** Response of `GET /pipelines/runs/{provider}/{runId}`. */
export interface PipelineRunResponse {
  entityRef: string;
  source: CiSourceState;
  run?: CiRunDetail;
}

/** A deployment the plugin has stored, matched to a catalog environment when it could be. */
export interface DeploymentRecord {
  provider: string;
  id: string;
  entityRef: string;
  environmentName: string;
  environmentRef?: string;
  version?: string;
  commitSha?: string;
  status: CiRunStatus;
  deployedAt: string;
  deployedBy?: string;
  url?: string;
}

/** Response of `GET /deployments`: an entity's deployments, newest first. */
export interface EntityDeployments {
  entityRef: string;
  /** What runs where now: the latest successful deployment per environment, with drift. */
  current: VersionCell[];
  items: DeploymentRecord[];
  /** When the deployments were last synced from each provider, and whether that worked. */
  sync: CiSourceState[];
}

/** One cell of the version map: what runs in an environment, and whether it drifts. */
export interface VersionCell {
  entityRef: string;
  environmentRef: string;
  version?: string;
  commitSha?: string;
  deployedAt: string;
  deployedBy?: string;
  provider: string;
  url?: string;
  /** Set when the reference environment runs another version. */
  drift?: { referenceEnvironmentRef: string; referenceVersion?: string };
}

/** Response of `GET /deployments/map`: components × environments → the version deployed. */
export interface VersionMap {
  /** The tier whose environments are the reference for drift, e.g. `prod`. */
  referenceTier: string;
  components: Array<{ entityRef: string; title?: string }>;
  environments: Array<{
    entityRef: string;
    name: string;
    title?: string;
    tier: string;
  }>;
  cells: VersionCell[];
  /**
   * The last deployment syncs of the components shown that failed: their versions may be out
   * of date. Empty when every sync worked.
   */
  failedSyncs: Array<CiSourceState & { entityRef: string }>;
}
