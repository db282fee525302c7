import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';

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

/**
 * A CI system the environments backend reads from. Providers run server-side with server-side
 * credentials; the browser only ever names an entity. A provider throws CiUpstreamError when
 * the CI system fails, so the plugin can serve the last known data marked stale.
 */
export interface CiProvider {
  /** Stable id, unique across installed providers, e.g. `github`. */
  readonly id: string;
  /** Whether this provider has anything for the entity (usually: an annotation is present). */
  appliesTo(entity: Entity): boolean;
  /** The branch runs are shown for first (the repository's default branch). */
  getDefaultBranch(entity: Entity): Promise<string | undefined>;
  listRuns(
    entity: Entity,
    options: { branch?: string; cursor?: string; limit: number },
  ): Promise<CiPage<CiRun>>;
  /** One run with its jobs; `runId` is a CiRun's id from `listRuns`. */
  getRun(entity: Entity, runId: string): Promise<CiRunDetail>;
  listDeployments(
    entity: Entity,
    options: { cursor?: string; limit: number },
  ): Promise<CiPage<CiDeployment>>;
  /** Starts the run again, when the CI system allows it. */
  rerun?(entity: Entity, runId: string): Promise<void>;
}

/** Lets backend modules add CI providers to the environments plugin. */
export interface EnvironmentsCiProvidersExtensionPoint {
  addProvider(...providers: CiProvider[]): void;
}

/** Extension point `environments.ci-providers`. */
export const environmentsCiProvidersExtensionPoint =
  createExtensionPoint<EnvironmentsCiProvidersExtensionPoint>({
    id: 'environments.ci-providers',
  });
