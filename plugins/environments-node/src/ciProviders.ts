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
  name: string;
  branch?: string;
  commitSha?: string;
  commitMessage?: string;
  status: CiRunStatus;
  startedAt?: string;
  finishedAt?: string;
  durationMs?: number;
  url?: string;
}

/** A deployment of a component to an environment, as the CI system reports it. */
export interface CiDeployment {
  provider: string;
  id: string;
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
 * credentials; the browser only ever names an entity.
 */
export interface CiProvider {
  /** Stable id, unique across installed providers, e.g. `github`. */
  readonly id: string;
  /** Whether this provider has anything for the entity (usually: an annotation is present). */
  appliesTo(entity: Entity): boolean;
  listRuns(
    entity: Entity,
    options: { branch?: string; cursor?: string; limit: number },
  ): Promise<CiPage<CiRun>>;
  listDeployments(
    entity: Entity,
    options: { cursor?: string; limit: number },
  ): Promise<CiPage<CiDeployment>>;
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
