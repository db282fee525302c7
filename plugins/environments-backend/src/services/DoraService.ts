import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  Entity,
  RELATION_PART_OF,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { DoraReport } from '@internal/plugin-environments-common';
import { Knex } from 'knex';
import {
  listDeployedEnvironments,
  listDeploymentsSince,
} from '../database/deploymentsStore';
import { listSloStateChanges } from '../database/sloSnapshotsStore';
import {
  describeChangeFailure,
  DORA_BAND_SOURCE,
  doraMetrics,
} from '../domain/dora';
import { DoraSettings } from './doraConfig';
import { EnvironmentsService } from './EnvironmentsService';
import { ownedComponents, resolveTeam } from './teams';

const DAY_MS = 24 * 3600_000;
/** How far before the period deployments are read to recognise a rollback to an old version. */
const ROLLBACK_LOOKBACK_MS = 90 * DAY_MS;

/**
 * DORA metrics of a component, a system or a group, from the plugin's own stored deployments
 * and SLO history: the database and the catalog only, never a CI system.
 */
export class DoraService {
  constructor(
    private readonly deps: {
      db: Knex;
      catalog: CatalogService;
      environments: EnvironmentsService;
      settings: DoraSettings;
      referenceTier: string;
    },
  ) {}

  async report(
    query: { entityRef: string; environment?: string; from: Date; to: Date },
    credentials: BackstageCredentials,
    now = new Date(),
  ): Promise<DoraReport> {
    const { db, settings, referenceTier } = this.deps;
    const { kind, components } = await this.components(
      query.entityRef,
      credentials,
    );
    const componentRefs = components.map(c => stringifyEntityRef(c));
    const all = await this.deps.environments.list(credentials, {});
    const deployedTo = new Set(
      await listDeployedEnvironments(db, componentRefs),
    );
    const available = all
      .filter(env => deployedTo.has(env.entityRef))
      .sort((a, b) => a.name.localeCompare(b.name));
    let measured = available.filter(env => env.tier === referenceTier);
    if (query.environment !== undefined) {
      measured = all.filter(
        env =>
          env.name === query.environment || env.entityRef === query.environment,
      );
      if (measured.length === 0) {
        throw new NotFoundError(`No environment ${query.environment}`);
      }
    }
    const environmentRefs = measured.map(env => env.entityRef);
    const [deployments, sloChanges] = await Promise.all([
      listDeploymentsSince(db, {
        entityRefs: componentRefs,
        environmentRefs,
        since: new Date(query.from.getTime() - ROLLBACK_LOOKBACK_MS),
      }),
      // Up to now: failures of the period may be signalled, or recovered, after it.
      listSloStateChanges(db, {
        entityRefs: componentRefs,
        from: query.from,
        to: new Date(Math.max(now.getTime(), query.to.getTime())),
      }),
    ]);
    return {
      entityRef: query.entityRef,
      kind,
      components: componentRefs,
      from: query.from.toISOString(),
      to: query.to.toISOString(),
      environments: measured.map(env => ({
        entityRef: env.entityRef,
        name: env.name,
        title: env.title,
      })),
      availableEnvironments: available.map(env => ({
        entityRef: env.entityRef,
        name: env.name,
        title: env.title,
        tier: env.tier,
      })),
      metrics: doraMetrics({
        deployments: deployments.map(d => ({
          entityRef: d.entityRef,
          // Listed by catalog environment: every one has it.
          environmentRef: d.environmentRef!,
          version: d.version,
          status: d.status,
          deployedAt: d.deployedAt,
          committedAt: d.committedAt,
        })),
        sloChanges,
        period: { from: query.from, to: query.to },
        environmentRefs,
        unscopedSloEnvironments: all
          .filter(env => env.tier === referenceTier)
          .map(env => env.entityRef),
        changeFailure: settings.changeFailure,
      }),
      changeFailureDefinition: describeChangeFailure(settings.changeFailure),
      bandSource: DORA_BAND_SOURCE,
    };
  }

  /** The components measured: the component itself, a system's, or a group's and its children's. */
  private async components(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<{ kind: DoraReport['kind']; components: Entity[] }> {
    const { catalog } = this.deps;
    const entity = await catalog.getEntityByRef(entityRef, { credentials });
    if (!entity) throw new NotFoundError(`No entity ${entityRef}`);
    switch (entity.kind.toLocaleLowerCase('en-US')) {
      case 'component':
        return { kind: 'component', components: [entity] };
      case 'system': {
        const { items } = await catalog.getEntities(
          {
            filter: {
              kind: 'component',
              [`relations.${RELATION_PART_OF}`]: stringifyEntityRef(entity),
            },
          },
          { credentials },
        );
        return { kind: 'system', components: items };
      }
      case 'group': {
        const team = await resolveTeam(catalog, entityRef, credentials);
        return {
          kind: 'group',
          components: await ownedComponents(
            catalog,
            team.groupRefs,
            credentials,
          ),
        };
      }
      default:
        throw new InputError(
          `entityRef: must be a component, system or group, not a ${entity.kind}`,
        );
    }
  }
}
