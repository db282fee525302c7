import {
  AuthService,
  BackstageCredentials,
  CacheService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  RELATION_PART_OF,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  CiRun,
  CiRunDetail,
  CiSourceState,
  DeploymentRecord,
  EntityDeployments,
  Environment,
  pipelineRerunPermission,
  PipelineRunPage,
  PipelineRunResponse,
  PipelineSummary,
  VersionCell,
  VersionMap,
} from '@internal/plugin-environments-common';
import {
  CiPage,
  CiProvider,
  CiUpstreamError,
} from '@internal/plugin-environments-node';
import { JsonObject } from '@backstage/types';
import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import {
  latestSuccessfulDeployments,
  listDeployments,
  StoredDeployment,
  upsertDeployments,
} from '../database/deploymentsStore';
import { markDrift, matchEnvironment } from '../domain/deployments';
import { EnvironmentsService } from './EnvironmentsService';
import { SingleFlight } from './SingleFlight';
import { StaleWhileRevalidate } from './StaleWhileRevalidate';

const SECOND = 1000;
/** Run lists are this fresh; lists with a run going, and runs going, only this. */
const LIST_FRESH_MS = 60 * SECOND;
const RUNNING_FRESH_MS = 15 * SECOND;
/** A finished run does not change. */
const FINISHED_FRESH_MS = 6 * 3600 * SECOND;
const DEFAULT_BRANCH_FRESH_MS = 3600 * SECOND;
/** Runs read for the summary: enough to find the latest of each workflow on busy repositories. */
const SUMMARY_RUNS = 50;
/** Entities synced at once by the deployment sync. */
const SYNC_CONCURRENCY = 4;
/** Run ids and cursors as the providers make them; anything else is a bad request. */
const CURSOR = /^\d{1,6}$/;
const RUN_ID = /^[\w.:/@#%+-]{1,255}$/;

/** A CI system's refusal as the HTTP error it means for the caller of a write. */
function writeError(error: unknown): Error {
  if (!(error instanceof CiUpstreamError)) return error as Error;
  switch (error.problem) {
    case 'not-found':
      return new NotFoundError(error.message);
    case 'refused':
      return new ConflictError(`The CI system refused: ${error.message}`);
    default:
      return new ServiceUnavailableError(error.message);
  }
}

/** A run that does not exist is an answer (404), not an outage to serve stale data for. */
const isMissing = (error: unknown) =>
  error instanceof CiUpstreamError && error.problem === 'not-found';

/** Entities a single view syncs on the spot when no sync has seen them yet. */
const MAX_SYNC_ON_VIEW = 20;
/** How long a sync's outcome is remembered. */
const SYNC_STATE_TTL_MS = 7 * 24 * 3600 * SECOND;

const isGoing = (run: CiRun) =>
  run.status === 'queued' || run.status === 'running';

function state(
  provider: string,
  answer: { status: CiSourceState['status']; reason?: string; asOf?: string },
): CiSourceState {
  return {
    provider,
    status: answer.status,
    reason: answer.reason,
    asOf: answer.asOf,
  };
}

/**
 * The newest run of each workflow on each branch, the default branch's first, then the other
 * branches' by recency.
 */
export function latestPerWorkflow(
  runs: CiRun[],
  defaultBranch: string | undefined,
): CiRun[] {
  const latest = new Map<string, CiRun>();
  for (const run of runs) {
    const key = `${run.name}\u0000${run.branch ?? ''}`;
    const known = latest.get(key);
    if (!known || (known.createdAt ?? '') < (run.createdAt ?? '')) {
      latest.set(key, run);
    }
  }
  return [...latest.values()].sort((a, b) => {
    const aDefault = a.branch === defaultBranch ? 0 : 1;
    const bDefault = b.branch === defaultBranch ? 0 : 1;
    return (
      aDefault - bDefault ||
      (b.createdAt ?? '').localeCompare(a.createdAt ?? '') ||
      a.name.localeCompare(b.name)
    );
  });
}

/** A deployment matched to an environment, as a cell of the version map. */
function toCell(deployment: StoredDeployment): VersionCell {
  return {
    entityRef: deployment.entityRef,
    environmentRef: deployment.environmentRef!,
    version: deployment.version,
    commitSha: deployment.commitSha,
    deployedAt: deployment.deployedAt.toISOString(),
    deployedBy: deployment.deployedBy,
    provider: deployment.provider,
    url: deployment.url,
  };
}

function toRecord(deployment: StoredDeployment): DeploymentRecord {
  return {
    provider: deployment.provider,
    id: deployment.externalId,
    entityRef: deployment.entityRef,
    environmentName: deployment.environmentName,
    environmentRef: deployment.environmentRef,
    version: deployment.version,
    commitSha: deployment.commitSha,
    status: deployment.status,
    deployedAt: deployment.deployedAt.toISOString(),
    deployedBy: deployment.deployedBy,
    url: deployment.url,
  };
}

/**
 * Pipelines and deployments of catalog entities, from the installed CI providers. The browser
 * names an entity; this service loads it from the catalog and asks the providers that apply to
 * it, server-side, through a stale-while-revalidate cache. Deployments are synced into the
 * plugin's table, so the version map is served from the database.
 */
export class PipelinesService {
  private readonly syncs = new SingleFlight();

  constructor(
    private readonly deps: {
      db: Knex;
      catalog: CatalogService;
      auth: AuthService;
      permissions: PermissionsService;
      logger: LoggerService;
      cache: StaleWhileRevalidate;
      /** Where the deployment sync records how it went, per entity and provider. */
      syncStates: CacheService;
      environments: EnvironmentsService;
      providers: () => Map<string, CiProvider>;
      rerunEnabled: boolean;
      referenceTier: string;
    },
  ) {}

  /** The latest run per workflow and branch, per provider that applies to the entity. */
  async summary(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<PipelineSummary> {
    return this.summaryOf(await this.entity(entityRef, credentials));
  }

  /** The same summary, of an entity already read from the catalog (a team's components). */
  async summaryOf(entity: Entity): Promise<PipelineSummary> {
    const ref = stringifyEntityRef(entity);
    const providers = await Promise.all(
      this.applicable(entity).map(async provider => {
        const answer = await this.deps.cache.get(
          `ci:v1:${provider.id}:${ref}:summary`,
          value =>
            value.runs.some(isGoing) ? RUNNING_FRESH_MS : LIST_FRESH_MS,
          async () => {
            const [defaultBranch, page] = await Promise.all([
              this.defaultBranch(provider, entity),
              provider.listRuns(entity, { limit: SUMMARY_RUNS }),
            ]);
            return { defaultBranch, runs: page.items };
          },
        );
        return {
          ...state(provider.id, answer),
          defaultBranch: answer.value?.defaultBranch,
          latest: latestPerWorkflow(
            answer.value?.runs ?? [],
            answer.value?.defaultBranch,
          ),
        };
      }),
    );
    return { entityRef: ref, providers };
  }

  /** One page of a provider's run history for the entity. */
  async runs(
    entityRef: string,
    options: {
      provider: string;
      branch?: string;
      cursor?: string;
      limit: number;
    },
    credentials: BackstageCredentials,
  ): Promise<PipelineRunPage> {
    if (options.cursor !== undefined && !CURSOR.test(options.cursor)) {
      throw new InputError(`cursor: not a page of runs: ${options.cursor}`);
    }
    const entity = await this.entity(entityRef, credentials);
    const provider = this.provider(entity, options.provider);
    const ref = stringifyEntityRef(entity);
    const key = `ci:v1:${provider.id}:${ref}:runs:${options.branch ?? '*'}:${
      options.cursor ?? ''
    }:${options.limit}`;
    const answer = await this.deps.cache.get<CiPage<CiRun>>(
      key,
      page => (page.items.some(isGoing) ? RUNNING_FRESH_MS : LIST_FRESH_MS),
      () =>
        provider.listRuns(entity, {
          branch: options.branch,
          cursor: options.cursor,
          limit: options.limit,
        }),
    );
    return {
      entityRef: ref,
      source: state(provider.id, answer),
      items: answer.value?.items ?? [],
      nextCursor: answer.value?.nextCursor,
    };
  }

  /** One run with its jobs. */
  async run(
    entityRef: string,
    providerId: string,
    runId: string,
    credentials: BackstageCredentials,
  ): Promise<PipelineRunResponse> {
    if (!RUN_ID.test(runId)) throw new InputError(`runId: not a run: ${runId}`);
    const entity = await this.entity(entityRef, credentials);
    const provider = this.provider(entity, providerId);
    const ref = stringifyEntityRef(entity);
    let answer;
    try {
      answer = await this.deps.cache.get<CiRunDetail>(
        `ci:v1:${provider.id}:${ref}:run:${runId}`,
        run => (isGoing(run) ? RUNNING_FRESH_MS : FINISHED_FRESH_MS),
        () => provider.getRun(entity, runId),
        isMissing,
      );
    } catch (error) {
      throw writeError(error);
    }
    return {
      entityRef: ref,
      source: state(provider.id, answer),
      run: answer.value,
    };
  }

  /** Starts a run again: needs the re-run permission, and re-runs switched on in config. */
  async rerun(
    entityRef: string,
    providerId: string,
    runId: string,
    credentials: BackstageCredentials,
  ): Promise<void> {
    if (!this.deps.rerunEnabled) {
      throw new NotAllowedError(
        'Re-running pipelines is switched off (environments.pipelines.allowRerun)',
      );
    }
    const [decision] = await this.deps.permissions.authorize(
      [{ permission: pipelineRerunPermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError('You may not re-run pipelines');
    }
    const entity = await this.entity(entityRef, credentials);
    const provider = this.provider(entity, providerId);
    if (!provider.rerun) {
      throw new InputError(
        `${provider.id} pipelines cannot be re-run from here`,
      );
    }
    try {
      await provider.rerun(entity, runId);
    } catch (error) {
      throw writeError(error);
    }
  }

  /** The deployments stored for an entity, newest first, and how the last syncs went. */
  async deployments(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<EntityDeployments> {
    const entity = await this.entity(entityRef, credentials);
    const ref = stringifyEntityRef(entity);
    await this.syncIfNeverSynced([entity]);
    const items = await listDeployments(this.deps.db, {
      entityRefs: [ref],
      limit: 100,
    });
    const sync = await Promise.all(
      this.applicable(entity).map(
        async provider =>
          (await this.syncState(provider, ref)) ?? {
            provider: provider.id,
            status: 'unavailable' as const,
            reason: 'not synced yet',
          },
      ),
    );
    const environments = await this.deps.environments.list(credentials, {});
    const tiers = new Map(environments.map(env => [env.entityRef, env.tier]));
    const current = markDrift(
      (
        await latestSuccessfulDeployments(this.deps.db, { entityRefs: [ref] })
      ).map(toCell),
      environmentRef => tiers.get(environmentRef),
      this.deps.referenceTier,
    );
    return { entityRef: ref, current, items: items.map(toRecord), sync };
  }

  /**
   * What version runs where: for a system, its components × the environments they run in; for
   * an environment, every component deployed there. Served from the stored deployments; drift
   * is judged against the reference tier's environments even when the map does not show them.
   */
  async versionMap(
    scope: { systemRef?: string; environmentRef?: string },
    credentials: BackstageCredentials,
  ): Promise<VersionMap> {
    const all = await this.deps.environments.list(credentials, {});
    let shown: typeof all;
    let entities: Entity[];
    if (scope.systemRef) {
      const { items } = await this.deps.catalog.getEntities(
        {
          filter: {
            kind: 'component',
            [`relations.${RELATION_PART_OF}`]: scope.systemRef,
          },
        },
        { credentials },
      );
      entities = items;
      await this.syncIfNeverSynced(items);
      const used = new Set<string>();
      for (const entityRef of items.map(c => stringifyEntityRef(c))) {
        const runsIn = await this.deps.environments.list(credentials, {
          entityRef,
        });
        runsIn.forEach(env => used.add(env.entityRef));
      }
      shown = all.filter(env => used.has(env.entityRef));
    } else if (scope.environmentRef) {
      shown = all.filter(env => env.entityRef === scope.environmentRef);
      if (shown.length === 0) {
        throw new NotFoundError(`No environment ${scope.environmentRef}`);
      }
      const deployedThere = await latestSuccessfulDeployments(this.deps.db, {
        environmentRefs: [scope.environmentRef],
      });
      // Only the components the caller may see in the catalog.
      const visible = await this.deps.catalog.getEntitiesByRefs(
        { entityRefs: [...new Set(deployedThere.map(d => d.entityRef))] },
        { credentials },
      );
      entities = visible.items.flatMap(entity => (entity ? [entity] : []));
    } else {
      throw new InputError('Give systemRef or environmentRef');
    }
    const components = entities.map(entity => ({
      entityRef: stringifyEntityRef(entity),
      title: entity.metadata.title,
    }));
    const everywhere = await latestSuccessfulDeployments(this.deps.db, {
      entityRefs: components.map(c => c.entityRef),
    });
    const tiers = new Map(all.map(env => [env.entityRef, env.tier]));
    const shownRefs = new Set(shown.map(env => env.entityRef));
    const cells = markDrift(
      everywhere.map(toCell),
      ref => tiers.get(ref),
      this.deps.referenceTier,
    ).filter(cell => shownRefs.has(cell.environmentRef));
    return {
      referenceTier: this.deps.referenceTier,
      components,
      environments: shown.map(env => ({
        entityRef: env.entityRef,
        name: env.name,
        title: env.title,
        tier: env.tier,
      })),
      cells,
      failedSyncs: await this.failedSyncs(entities),
    };
  }

  /** The last deployment syncs of `entities` that failed, with the reason. */
  private async failedSyncs(
    entities: Entity[],
  ): Promise<VersionMap['failedSyncs']> {
    const states = await Promise.all(
      entities.flatMap(entity => {
        const entityRef = stringifyEntityRef(entity);
        return this.applicable(entity).map(async provider => {
          const last = await this.syncState(provider, entityRef);
          return last && last.status !== 'ok' ? [{ ...last, entityRef }] : [];
        });
      }),
    );
    return states.flat();
  }

  /** How the last deployment sync of `entityRef` from `provider` went; undefined before one. */
  private async syncState(
    provider: CiProvider,
    entityRef: string,
  ): Promise<CiSourceState | undefined> {
    return (await this.deps.syncStates.get(
      this.syncKey(provider, entityRef),
    )) as CiSourceState | undefined;
  }

  /**
   * Reads recent deployments of every component some provider applies to and stores them, each
   * matched to one of the environments the component runs in. Run by a scheduled task.
   */
  async syncDeployments(): Promise<{ entities: number; deployments: number }> {
    const credentials = await this.deps.auth.getOwnServiceCredentials();
    const { items } = await this.deps.catalog.getEntities(
      { filter: { kind: 'component' } },
      { credentials },
    );
    const targets = items.filter(entity => this.applicable(entity).length > 0);
    let stored = 0;
    for (let i = 0; i < targets.length; i += SYNC_CONCURRENCY) {
      const batch = targets.slice(i, i + SYNC_CONCURRENCY);
      const counts = await Promise.all(
        batch.map(entity => this.syncEntity(entity, credentials)),
      );
      stored += counts.reduce((sum, count) => sum + count, 0);
    }
    return { entities: targets.length, deployments: stored };
  }

  /**
   * Syncs the entities no sync has seen yet (new in the catalog, or a fresh installation), so
   * the first view shows their deployments instead of waiting for the scheduled sync.
   */
  private async syncIfNeverSynced(entities: Entity[]): Promise<void> {
    const unseen: Entity[] = [];
    for (const entity of entities.slice(0, MAX_SYNC_ON_VIEW)) {
      const ref = stringifyEntityRef(entity);
      for (const provider of this.applicable(entity)) {
        if (!(await this.syncState(provider, ref))) {
          unseen.push(entity);
          break;
        }
      }
    }
    if (unseen.length === 0) return;
    const credentials = await this.deps.auth.getOwnServiceCredentials();
    await Promise.all(
      unseen.map(entity => {
        // Viewers arriving together share one sync of the entity.
        return this.syncs.run(stringifyEntityRef(entity), () =>
          this.syncEntity(entity, credentials),
        );
      }),
    );
  }

  private async syncEntity(
    entity: Entity,
    credentials: BackstageCredentials,
  ): Promise<number> {
    const ref = stringifyEntityRef(entity);
    const candidates = await this.deps.environments.list(credentials, {
      entityRef: ref,
    });
    // Providers are independent: asked in parallel, the first view waits for the slowest
    // rather than for their sum.
    const counts = await Promise.all(
      this.applicable(entity).map(provider =>
        this.syncProvider(provider, entity, candidates),
      ),
    );
    return counts.reduce((sum, count) => sum + count, 0);
  }

  /** One provider's deployments of an entity into the table; how many it stored. */
  private async syncProvider(
    provider: CiProvider,
    entity: Entity,
    candidates: Environment[],
  ): Promise<number> {
    const ref = stringifyEntityRef(entity);
    const key = this.syncKey(provider, ref);
    const previous = await this.syncState(provider, ref);
    let result: CiSourceState;
    let stored = 0;
    try {
      const { items } = await provider.listDeployments(entity, { limit: 50 });
      const now = new Date();
      await upsertDeployments(
        this.deps.db,
        items.map(deployment => ({
          id: randomUUID(),
          provider: provider.id,
          externalId: deployment.id,
          entityRef: ref,
          environmentName: deployment.environmentName,
          environmentRef: matchEnvironment(
            deployment.environmentName,
            candidates,
          ),
          version: deployment.version,
          commitSha: deployment.commitSha,
          committedAt: deployment.committedAt
            ? new Date(deployment.committedAt)
            : undefined,
          status: deployment.status,
          deployedAt: new Date(deployment.createdAt),
          deployedBy: deployment.createdBy,
          url: deployment.url,
          syncedAt: now,
        })),
      );
      stored = items.length;
      result = {
        provider: provider.id,
        status: 'ok',
        asOf: now.toISOString(),
      };
    } catch (error) {
      const reason = (error as Error).message;
      this.deps.logger.warn(
        `Deployment sync of ${ref} from ${provider.id}: ${reason}`,
      );
      // The stored deployments stay; they are as old as the last sync that worked.
      result = {
        provider: provider.id,
        status: previous?.asOf ? 'stale' : 'unavailable',
        reason,
        asOf: previous?.asOf,
      };
    }
    await this.deps.syncStates.set(key, result as unknown as JsonObject, {
      ttl: SYNC_STATE_TTL_MS,
    });
    return stored;
  }

  private syncKey(provider: CiProvider, entityRef: string) {
    return `ci:v1:${provider.id}:${entityRef}:deployments-sync`;
  }

  private async entity(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<Entity> {
    const entity = await this.deps.catalog.getEntityByRef(entityRef, {
      credentials,
    });
    if (!entity) throw new NotFoundError(`No entity ${entityRef}`);
    return entity;
  }

  private applicable(entity: Entity): CiProvider[] {
    return [...this.deps.providers().values()].filter(p => p.appliesTo(entity));
  }

  private provider(entity: Entity, providerId: string): CiProvider {
    const provider = this.deps.providers().get(providerId);
    if (!provider || !provider.appliesTo(entity)) {
      throw new NotFoundError(
        `${stringifyEntityRef(entity)} has no pipelines in ${providerId}`,
      );
    }
    return provider;
  }

  private async defaultBranch(
    provider: CiProvider,
    entity: Entity,
  ): Promise<string | undefined> {
    const answer = await this.deps.cache.get(
      `ci:v1:${provider.id}:${stringifyEntityRef(entity)}:default-branch`,
      () => DEFAULT_BRANCH_FRESH_MS,
      async () => ({ branch: await provider.getDefaultBranch(entity) }),
    );
    return answer.value?.branch;
  }
}
