import {
  AuthService,
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  Entity,
  RELATION_OWNED_BY,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ENVIRONMENT_ENTITY_FILTER,
  Environment,
  isEnvironmentEntity,
} from '@internal/plugin-environments-common';
import { Knex } from 'knex';
import {
  getEnvironmentStates,
  syncEnvironments,
  SyncResult,
} from '../database/environmentsStore';
import {
  listCurrentAndUpcomingBookings,
  listHeldIntervals,
} from '../database/bookingsStore';
import { resolvePolicy } from '../domain/policies';
import { PoliciesService } from './PoliciesService';
import { listBlackouts } from '../database/blackoutsStore';
import { appliesTo } from '../domain/blackouts';
import { earliestFreeSlot } from '../domain/availability';
import { listActiveHolds } from '../database/waitlistStore';
import { healthAsOf } from '../domain/health';
import {
  compareEnvironments,
  MAX_UPCOMING,
  runsIn,
  toEnvironment,
  toSnapshot,
} from '../domain/environments';

/** How far ahead an environment's upcoming bookings are shown. */
const UPCOMING_WINDOW_MS = 14 * 24 * 3600_000;

/**
 * Environments as users see them: read from the catalog with the caller's credentials (so the
 * catalog's permissions apply) and merged with the state this plugin stores.
 */
export class EnvironmentsService {
  constructor(
    private readonly deps: {
      db: Knex;
      catalog: CatalogService;
      auth: AuthService;
      logger: LoggerService;
      /** The booking policies in force (configured, or stored by an administrator). */
      policies: Pick<PoliciesService, 'inForce'>;
      /**
       * Shown health; absent when the health checks are switched off. Stored health older than
       * `staleAfterMs` shows as unknown (the checks may have stopped).
       */
      healthChecks?: { staleAfterMs: number };
    },
  ) {}

  /**
   * All environments the caller can see; only those `entityRef` runs in, or only those owned by
   * one of `ownerRefs` (groups), when given.
   */
  async list(
    credentials: BackstageCredentials,
    options: { entityRef?: string; ownerRefs?: string[] } = {},
  ): Promise<Environment[]> {
    const { catalog } = this.deps;
    let environments = (
      await catalog.getEntities(
        {
          filter: {
            ...ENVIRONMENT_ENTITY_FILTER,
            ...(options.ownerRefs && {
              [`relations.${RELATION_OWNED_BY}`]: options.ownerRefs,
            }),
          },
        },
        { credentials },
      )
    ).items;
    if (options.entityRef !== undefined) {
      const entity = await catalog.getEntityByRef(options.entityRef, {
        credentials,
      });
      if (!entity) {
        throw new NotFoundError(
          `No entity ${options.entityRef} in the catalog`,
        );
      }
      environments = environments.filter(environment =>
        runsIn(entity, environment),
      );
    }
    return (await this.withState(environments)).sort(compareEnvironments);
  }

  /** One environment; NotFoundError when the catalog has no such environment. */
  async get(
    ref: CompoundEntityRef,
    credentials: BackstageCredentials,
  ): Promise<Environment> {
    const entity = await this.deps.catalog.getEntityByRef(ref, { credentials });
    const entityRef = stringifyEntityRef(ref);
    if (!entity || !isEnvironmentEntity(entity)) {
      throw new NotFoundError(`No environment ${entityRef} in the catalog`);
    }
    const [environment] = await this.withState([entity]);
    return environment;
  }

  /**
   * Environments that are free for `durationMs` somewhere in `[from, to)`, each with its
   * earliest such slot, earliest first: "which test environments are free for 3 days from
   * Monday?". Optionally narrowed to a tier, a system, or the environments an entity runs in.
   */
  async availability(
    credentials: BackstageCredentials,
    query: {
      tier?: string;
      systemRef?: string;
      entityRef?: string;
      from: Date;
      to: Date;
      durationMs: number;
    },
  ): Promise<
    Array<{ environment: Environment; slot: { start: string; end: string } }>
  > {
    const candidates = (
      await this.list(credentials, { entityRef: query.entityRef })
    ).filter(
      env =>
        env.bookable &&
        env.status === 'available' &&
        (!query.tier || env.tier === query.tier) &&
        (!query.systemRef || env.systemRef === query.systemRef),
    );
    const refs = candidates.map(env => env.entityRef);
    const [bookings, holds, blackouts] = await Promise.all([
      listHeldIntervals(this.deps.db, refs, query.from, query.to),
      listActiveHolds(this.deps.db, refs, new Date()),
      listBlackouts(this.deps.db, {
        environmentRefs: refs,
        tiers: [...new Set(candidates.map(env => env.tier))],
        from: query.from,
        to: query.to,
      }),
    ]);
    const interval = (x: { start: Date; end: Date }) => ({
      start: x.start.getTime(),
      end: x.end.getTime(),
    });
    const held = byEnvironment([
      ...bookings,
      ...holds.map(hold => ({
        environmentRef: hold.environmentRef,
        ...interval(hold),
      })),
    ]);
    return candidates
      .map(environment => ({
        environment,
        slot: earliestFreeSlot({
          held: held.get(environment.entityRef) ?? [],
          blackouts: blackouts
            .filter(b => appliesTo(b, environment))
            .map(interval),
          capacity: environment.capacity,
          from: query.from.getTime(),
          to: query.to.getTime(),
          durationMs: query.durationMs,
        }),
      }))
      .filter(found => found.slot !== undefined)
      .sort((a, b) => a.slot!.start - b.slot!.start)
      .map(({ environment, slot }) => ({
        environment,
        slot: {
          start: new Date(slot!.start).toISOString(),
          end: new Date(slot!.end).toISOString(),
        },
      }));
  }

  /** Merges catalog entities with their stored state and their bookings of the next days. */
  private async withState(
    entities: Entity[],
    now = new Date(),
  ): Promise<Environment[]> {
    const refs = entities.map(e => stringifyEntityRef(e));
    const states = await getEnvironmentStates(this.deps.db, refs);
    const bookings = byEnvironment(
      await listCurrentAndUpcomingBookings(
        this.deps.db,
        refs,
        now,
        new Date(now.getTime() + UPCOMING_WINDOW_MS),
        MAX_UPCOMING,
      ),
    );
    const snapshots = entities.map(toSnapshot);
    const policies = await this.deps.policies.inForce();
    const blackouts = await listBlackouts(this.deps.db, {
      environmentRefs: refs,
      tiers: [...new Set(snapshots.map(s => s.tier))],
      from: now,
      to: new Date(now.getTime() + 1),
    });
    return entities.map((entity, i) => {
      const snapshot = snapshots[i];
      return toEnvironment(
        entity,
        {
          state: states.get(refs[i]),
          bookings: bookings.get(refs[i]) ?? [],
          blackouts: blackouts.filter(b => appliesTo(b, snapshot)),
          policy: resolvePolicy(policies, snapshot),
          health:
            this.deps.healthChecks &&
            healthAsOf(
              states.get(refs[i])?.health ?? { status: 'unknown' },
              now,
              this.deps.healthChecks.staleAfterMs,
            ),
        },
        now,
      );
    });
  }

  /** Copies the catalog's environments into the plugin's table (see `syncEnvironments`). */
  async syncFromCatalog(now = new Date()): Promise<SyncResult> {
    const { catalog, auth, db, logger } = this.deps;
    const credentials = await auth.getOwnServiceCredentials();
    const { items } = await catalog.getEntities(
      { filter: ENVIRONMENT_ENTITY_FILTER },
      { credentials },
    );
    const result = await db.transaction(tx =>
      syncEnvironments(tx, items.map(toSnapshot), now),
    );
    logger.info(
      `Synced environments from the catalog: ${result.seen} present, ${result.removed} newly removed`,
    );
    return result;
  }
}

/** Items by the environment they belong to, in one pass. */
export function byEnvironment<T extends { environmentRef: string }>(
  items: T[],
): Map<string, T[]> {
  const grouped = new Map<string, T[]>();
  for (const item of items) {
    const group = grouped.get(item.environmentRef);
    if (group) group.push(item);
    else grouped.set(item.environmentRef, [item]);
  }
  return grouped;
}
