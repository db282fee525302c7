import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { CiUpstreamError } from './ciHttp';
import {
  CiDeployment,
  CiPage,
  CiRun,
  CiRunDetail,
} from '@internal/plugin-environments-common';

// The data types are shared with the frontend; providers import them from here too.
export type {
  CiDeployment,
  CiJob,
  CiPage,
  CiRun,
  CiRunDetail,
  CiRunStatus,
} from '@internal/plugin-environments-common';

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

/**
 * The page a `per_page`/`page` API (GitHub, GitLab) is asked for: the cursor is the page
 * number, the first when absent. A cursor that is not one is refused.
 */
export function pageOf(
  cursor: string | undefined,
  limit: number,
): { page: number; perPage: number; query: URLSearchParams } {
  const page = Number(cursor ?? 1);
  if (!Number.isInteger(page) || page < 1) {
    throw new CiUpstreamError(`Not a page: ${cursor}`, 'refused');
  }
  const perPage = Math.min(100, limit);
  return {
    page,
    perPage,
    query: new URLSearchParams({
      per_page: String(perPage),
      page: String(page),
    }),
  };
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
