import {
  BackstageCredentials,
  CacheService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_SLO_FILES,
  EntitySlos,
  SloFileProblem,
  SloGateResult,
  SloObjectiveResult,
  SloRollup,
  SloRollupItem,
  SloStatus,
  SloSummary,
} from '@internal/plugin-environments-common';
import { SliPoint, SliSource } from '@internal/plugin-environments-node';
import { JsonObject } from '@backstage/types';
import {
  MetricQuery,
  Objective,
  parseOpenSlo,
  SloDefinition,
} from '../domain/openslo';
import {
  evaluateObjective,
  ObjectiveData,
  planEvaluation,
  SloPlan,
} from '../domain/sloEvaluation';
import { EnvironmentsService } from './EnvironmentsService';
import { SingleFlight } from './SingleFlight';
import { SloFiles } from './SloFiles';
import { eachWithLimit } from './eachWithLimit';
import { ownedComponents, resolveTeam } from './teams';

/** How many SLOs a roll-up evaluates at once. */
const ROLLUP_CONCURRENCY = 8;
/** Evaluated SLOs are reused this long: the buckets only move on every step anyway. */
const FRESH_TTL_MS = 60_000;
/** The last good evaluation is kept this long, to show (marked stale) when a source is down. */
const LAST_KNOWN_TTL_MS = 7 * 24 * 3600_000;
/** A source that failed is asked again after this long, not on every view. */
const RETRY_FAILED_MS = 30_000;
/** Parsed SLO files are reused this long. */
const FILES_TTL_MS = 60_000;

type SloFileRead = Awaited<ReturnType<SloFiles['read']>>;

const STATUS_ORDER: SloStatus[] = ['breached', 'at-risk', 'no-data', 'healthy'];

/** When the error-budget gate refuses a deployment. From `environments.sloGate`. */
export interface SloGatePolicy {
  /** Deny when an objective has less budget left than this share (0: once it is spent). */
  minBudgetRemaining: number;
  /** Deny while a page-severity burn-rate alert would fire. */
  denyOnFastBurn: boolean;
  /** What an SLO without data decides. */
  onNoData: 'allow' | 'deny';
  /** What an SLO whose source is down and has no last known values decides. */
  onSourceUnavailable: 'allow' | 'deny';
}

function worstStatus(statuses: SloStatus[]): SloStatus {
  return STATUS_ORDER.find(status => statuses.includes(status)) ?? 'no-data';
}

function percent(value: number): string {
  return `${(value * 100).toFixed(2)}%`;
}

function windowText(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes % 1440 === 0) return `${minutes / 1440}d`;
  if (minutes % 60 === 0) return `${minutes / 60}h`;
  return `${minutes}m`;
}

/**
 * SLOs of catalog entities: reads their OpenSLO files, fetches the SLIs from the installed
 * sources in bucketed counts, evaluates budgets and burn rates, and caches the results.
 */
export class SloService {
  private readonly flights = new SingleFlight();

  constructor(
    private readonly deps: {
      catalog: CatalogService;
      cache: CacheService;
      logger: LoggerService;
      files: SloFiles;
      environments: EnvironmentsService;
      sources: () => Map<string, SliSource>;
      gatePolicy: SloGatePolicy;
    },
  ) {}

  /** The SLOs of an entity, for one of its environments or all together. */
  async forEntity(
    entityRef: string,
    options: { environment?: string; credentials: BackstageCredentials },
    now = Date.now(),
  ): Promise<EntitySlos> {
    const entity = await this.deps.catalog.getEntityByRef(entityRef, {
      credentials: options.credentials,
    });
    if (!entity) throw new NotFoundError(`No entity ${entityRef}`);
    const environments = (
      await this.deps.environments.list(options.credentials, { entityRef })
    ).map(env => ({
      entityRef: env.entityRef,
      name: env.name,
      title: env.title,
    }));
    if (
      options.environment !== undefined &&
      !environments.some(env => env.name === options.environment)
    ) {
      throw new NotFoundError(
        `${entityRef} does not run in an environment named ${options.environment}`,
      );
    }
    const { slos, problems } = await this.definitions(entity);
    const items = await Promise.all(
      slos.map(slo => this.summary(entityRef, slo, options.environment, now)),
    );
    return {
      entityRef: stringifyEntityRef(entity),
      sloFiles: entity.metadata.annotations?.[ANNOTATION_SLO_FILES],
      sources: [...this.deps.sources().keys()],
      environments,
      items,
      problems,
    };
  }

  /** Whether the entity may deploy (to `environment`) now, by the configured budget policy. */
  async gate(
    entityRef: string,
    options: { environment?: string; credentials: BackstageCredentials },
    now = Date.now(),
  ): Promise<SloGateResult> {
    const { items, problems } = await this.forEntity(entityRef, options, now);
    const policy = this.deps.gatePolicy;
    const reasons: string[] = [];
    let deny = false;
    const slos: SloGateResult['slos'] = [];
    for (const slo of items) {
      const title = slo.displayName ?? slo.name;
      if (
        slo.source.status === 'unavailable' ||
        slo.source.status === 'not-configured'
      ) {
        // Nothing is known about this SLO: the policy decides.
        const refuse = policy.onSourceUnavailable === 'deny';
        deny ||= refuse;
        slos.push({
          name: slo.name,
          objective: '*',
          status: 'no-data',
          firingWindows: [],
          source: slo.source.status,
        });
        reasons.push(
          `${title}: no SLI data (${slo.source.reason ?? slo.source.status}); ${
            refuse ? 'denied' : 'allowed'
          } by policy`,
        );
        continue;
      }
      for (const objective of slo.objectives) {
        const label = `${title} (${objective.name})`;
        const firing = objective.burnRates.filter(w => w.firing);
        slos.push({
          name: slo.name,
          objective: objective.name,
          status: objective.status,
          budgetRemaining: objective.budgetRemaining,
          firingWindows: firing.map(
            w =>
              `${windowText(w.longMs)}/${windowText(
                w.shortMs,
              )} > ${w.factor.toFixed(1)}x`,
          ),
          source: slo.source.status,
        });
        if (objective.budgetRemaining === undefined) {
          const refuse = policy.onNoData === 'deny';
          deny ||= refuse;
          reasons.push(
            `${label}: no data; ${refuse ? 'denied' : 'allowed'} by policy`,
          );
          continue;
        }
        // A budget spent to the last drop is spent, whatever the minimum.
        if (
          objective.budgetRemaining <= 0 ||
          objective.budgetRemaining < policy.minBudgetRemaining
        ) {
          deny = true;
          reasons.push(
            `${label}: error budget ${
              objective.budgetRemaining <= 0 ? 'exhausted' : 'too low'
            } (${percent(
              objective.budgetRemaining,
            )} left, policy needs ${percent(policy.minBudgetRemaining)})`,
          );
        }
        const fastBurn = firing.filter(w => w.severity === 'page');
        if (policy.denyOnFastBurn && fastBurn.length > 0) {
          deny = true;
          reasons.push(
            `${label}: fast burn (${fastBurn
              .map(
                w =>
                  `${windowText(w.longMs)}/${windowText(
                    w.shortMs,
                  )} at ${w.longBurnRate?.toFixed(1)}x`,
              )
              .join(', ')})`,
          );
        }
      }
    }
    if (problems.length > 0) {
      // Unreadable SLOs are unknown SLOs: the same policy as a source with nothing known.
      const refuse = policy.onSourceUnavailable === 'deny';
      deny ||= refuse;
      reasons.push(
        `${
          problems.length
        } SLO document(s) could not be read and were not checked; ${
          refuse ? 'denied' : 'allowed'
        } by policy`,
      );
    }
    if (!deny && reasons.length === 0) {
      reasons.push(
        items.length === 0
          ? 'no SLOs are defined for this entity'
          : 'every SLO has budget left and none burns fast',
      );
    }
    return {
      entityRef,
      environment: options.environment,
      decision: deny ? 'deny' : 'allow',
      reasons,
      evaluatedAt: new Date(now).toISOString(),
      slos,
    };
  }

  /** Every SLO of the components owned by a group or its child groups, least budget first. */
  async rollup(
    groupRef: string,
    credentials: BackstageCredentials,
    now = Date.now(),
  ): Promise<SloRollup> {
    const team = await resolveTeam(this.deps.catalog, groupRef, credentials);
    const components = await ownedComponents(
      this.deps.catalog,
      team.groupRefs,
      credentials,
      {
        [`metadata.annotations.${ANNOTATION_SLO_FILES}`]: CATALOG_FILTER_EXISTS,
      },
    );
    return this.rollupOf(team.groupRef, components, now);
  }

  /**
   * The roll-up of components already read from the catalog (those of a team); components
   * without SLO files add nothing.
   */
  async rollupOf(
    groupRef: string,
    components: Entity[],
    now = Date.now(),
  ): Promise<SloRollup> {
    const rows: SloRollupItem[] = [];
    const problems: SloRollup['problems'] = [];
    const work: Array<{ component: Entity; slo: SloDefinition }> = [];
    await Promise.all(
      components.map(async component => {
        const definitions = await this.definitions(component);
        problems.push(
          ...definitions.problems.map(p => ({
            ...p,
            entityRef: stringifyEntityRef(component),
          })),
        );
        work.push(...definitions.slos.map(slo => ({ component, slo })));
      }),
    );
    // A big group has hundreds of SLOs: all their queries at once would queue at the source and
    // time out there. A few at a time keeps each query's wait short.
    await eachWithLimit(
      work,
      ROLLUP_CONCURRENCY,
      async ({ component, slo }) => {
        const entityRef = stringifyEntityRef(component);
        const summary = await this.summary(entityRef, slo, undefined, now);
        const row = {
          entityRef,
          entityTitle: component.metadata.title,
          slo: summary.name,
          sloTitle: summary.displayName,
          source: summary.source.status,
        };
        if (summary.objectives.length === 0) {
          // No numbers (the source failed or is missing): the SLO still has its rows, marked so.
          for (const objective of slo.objectives) {
            rows.push({
              ...row,
              objective: objective.name,
              target: objective.target,
              status: 'no-data',
            });
          }
          return;
        }
        for (const objective of summary.objectives) {
          rows.push({
            ...row,
            objective: objective.name,
            target: objective.target,
            sli: objective.sli,
            budgetRemaining: objective.budgetRemaining,
            status: objective.status,
          });
        }
      },
    );
    rows.sort(
      (a, b) =>
        (a.budgetRemaining ?? Infinity) - (b.budgetRemaining ?? Infinity) ||
        a.entityRef.localeCompare(b.entityRef) ||
        a.slo.localeCompare(b.slo),
    );
    return { groupRef, items: rows, problems };
  }

  /**
   * Every SLO of every component in the catalog evaluated now, each once per environment the
   * component runs in when the SLO is scoped by an environment label, else once; a few at a
   * time, like a roll-up. For the SLO history: a summary whose source failed says so.
   */
  async evaluateAll(
    credentials: BackstageCredentials,
    now = Date.now(),
  ): Promise<
    Array<{ entityRef: string; environmentRef?: string; summary: SloSummary }>
  > {
    const { items: components } = await this.deps.catalog.getEntities(
      {
        filter: {
          kind: 'component',
          [`metadata.annotations.${ANNOTATION_SLO_FILES}`]:
            CATALOG_FILTER_EXISTS,
        },
      },
      { credentials },
    );
    const work: Array<{
      entityRef: string;
      slo: SloDefinition;
      environment?: { name: string; entityRef: string };
    }> = [];
    await Promise.all(
      components.map(async component => {
        const entityRef = stringifyEntityRef(component);
        const [{ slos }, environments] = await Promise.all([
          this.definitions(component),
          this.deps.environments.list(credentials, { entityRef }),
        ]);
        for (const slo of slos) {
          if (!slo.environmentLabel) work.push({ entityRef, slo });
          else {
            for (const environment of environments) {
              work.push({ entityRef, slo, environment });
            }
          }
        }
      }),
    );
    const evaluated: Array<{
      entityRef: string;
      environmentRef?: string;
      summary: SloSummary;
    }> = [];
    await eachWithLimit(work, ROLLUP_CONCURRENCY, async item => {
      evaluated.push({
        entityRef: item.entityRef,
        environmentRef: item.environment?.entityRef,
        summary: await this.summary(
          item.entityRef,
          item.slo,
          item.environment?.name,
          now,
        ),
      });
    });
    return evaluated;
  }

  /** The entity's parsed SLO files, cached briefly. */
  private async definitions(
    entity: Entity,
  ): Promise<{ slos: SloDefinition[]; problems: SloFileProblem[] }> {
    const key = `slo-files:${stringifyEntityRef(entity)}:${
      entity.metadata.annotations?.[ANNOTATION_SLO_FILES] ?? ''
    }`;
    return this.flights.run(key, async () => {
      const cached = await this.cached<SloFileRead>(key);
      const read = cached ?? (await this.deps.files.read(entity));
      if (!cached) await this.store(key, read, FILES_TTL_MS);
      const { slos, problems } = parseOpenSlo(read.files);
      return { slos, problems: [...read.errors, ...problems] };
    });
  }

  /** One SLO evaluated, from the cache when fresh; the last known values when its source fails. */
  private async summary(
    entityRef: string,
    slo: SloDefinition,
    environment: string | undefined,
    now: number,
  ): Promise<SloSummary> {
    const scope = slo.environmentLabel ? environment : undefined;
    const key = `slo:${entityRef}:${slo.file}:${slo.name}:${scope ?? '*'}`;
    return this.flights.run(key, async () => {
      const fresh = await this.cached<SloSummary>(`fresh:${key}`);
      const freshAt = fresh ? Date.parse(fresh.source.asOf!) : NaN;
      if (fresh && freshAt <= now && freshAt > now - FRESH_TTL_MS) {
        return { ...fresh, source: { ...fresh.source, queries: 0 } };
      }
      const base = this.describe(slo, scope, now);
      const sourceType = this.sourceTypeOf(slo);
      // What is shown when nothing is known: the SLO, and why it has no numbers.
      const withoutNumbers = (
        status: 'not-configured' | 'unavailable',
        reason: string,
      ): SloSummary => ({
        ...base,
        objectives: [],
        status: 'no-data',
        source: { type: sourceType, status, reason, queries: 0 },
      });
      const source = this.deps.sources().get(sourceType);
      if (!source) {
        return withoutNumbers(
          'not-configured',
          `no SLI source for "${sourceType}" is configured`,
        );
      }
      // A source that just failed (down, rate-limited) is left alone for a while rather than
      // asked again on every view.
      const failed = await this.cached<{ reason: string; at: number }>(
        `failed:${key}`,
      );
      let reason: string;
      if (failed && failed.at <= now && failed.at > now - RETRY_FAILED_MS) {
        reason = failed.reason;
      } else {
        try {
          const { objectives, queries } = await this.evaluate(
            slo,
            source,
            scope,
            now,
          );
          const summary: SloSummary = {
            ...base,
            objectives,
            status: worstStatus(objectives.map(o => o.status)),
            source: {
              type: sourceType,
              status: 'ok',
              asOf: new Date(now).toISOString(),
              queries,
            },
          };
          await this.store(`fresh:${key}`, summary, FRESH_TTL_MS);
          await this.store(`last:${key}`, summary, LAST_KNOWN_TTL_MS);
          return summary;
        } catch (error) {
          reason = (error as Error).message;
          this.deps.logger.warn(`SLO ${slo.name} of ${entityRef}: ${reason}`);
          await this.store(
            `failed:${key}`,
            { reason, at: now },
            RETRY_FAILED_MS,
          );
        }
      }
      const last = await this.cached<SloSummary>(`last:${key}`);
      if (last) {
        return {
          ...last,
          source: { ...last.source, status: 'stale', reason, queries: 0 },
        };
      }
      return withoutNumbers('unavailable', reason);
    });
  }

  private describe(
    slo: SloDefinition,
    environment: string | undefined,
    now: number,
  ): Omit<SloSummary, 'objectives' | 'status' | 'source'> {
    const plan = planEvaluation(slo, slo.objectives[0], now);
    return {
      name: slo.name,
      displayName: slo.displayName,
      description: slo.description,
      file: slo.file,
      window: {
        duration: slo.window.text,
        rolling: slo.window.rolling,
        start: new Date(plan.windowStart).toISOString(),
        end: new Date(plan.windowEnd).toISOString(),
      },
      budgetingMethod: slo.budgetingMethod,
      environmentLabel: slo.environmentLabel,
      environment,
    };
  }

  private sourceTypeOf(slo: SloDefinition): string {
    const { indicator } = slo;
    return indicator.kind === 'threshold'
      ? indicator.metric.sourceType
      : indicator.total.sourceType;
  }

  /**
   * Reads each series once per plan (objectives of one SLO usually share them) and evaluates
   * every objective. Ratio SLOs cost two queries: good (or bad) and total.
   */
  private async evaluate(
    slo: SloDefinition,
    source: SliSource,
    environment: string | undefined,
    now: number,
  ): Promise<{ objectives: SloObjectiveResult[]; queries: number }> {
    const labels: Record<string, string> =
      slo.environmentLabel && environment
        ? { [slo.environmentLabel]: environment }
        : {};
    const reads = new Map<string, Promise<Array<number | undefined>>>();
    const read = (
      metric: MetricQuery,
      plan: SloPlan,
      kind: 'count' | 'max' | 'min',
    ) => {
      const key = `${kind}:${metric.query}:${plan.firstEnd}:${plan.stepMs}`;
      if (!reads.has(key)) {
        const request = {
          query: metric.query,
          labels,
          firstEnd: plan.firstEnd,
          lastEnd: plan.evaluatedAt,
          stepMs: plan.stepMs,
        };
        const points: Promise<SliPoint[]> =
          kind === 'count'
            ? source.countEvents(request)
            : source.worstValues({ ...request, worst: kind });
        reads.set(
          key,
          points.then(p => p.map(point => point.value)),
        );
      }
      return reads.get(key)!;
    };
    const objectives = await Promise.all(
      slo.objectives.map(async (objective: Objective) => {
        const plan = planEvaluation(slo, objective, now);
        const { indicator } = slo;
        let data: ObjectiveData;
        if (indicator.kind === 'threshold') {
          const worst =
            objective.op === 'lt' || objective.op === 'lte' ? 'max' : 'min';
          data = {
            kind: 'threshold',
            values: await read(indicator.metric, plan, worst),
          };
        } else {
          const [total, part] = await Promise.all([
            read(indicator.total, plan, 'count'),
            read((indicator.good ?? indicator.bad)!, plan, 'count'),
          ]);
          const good = indicator.good
            ? part
            : total.map((t, i) =>
                t === undefined ? undefined : t - (part[i] ?? 0),
              );
          data = { kind: 'ratio', good, total };
        }
        return evaluateObjective(slo, objective, plan, data);
      }),
    );
    return { objectives, queries: reads.size };
  }

  private async cached<T>(key: string): Promise<T | undefined> {
    return (await this.deps.cache.get(key)) as T | undefined;
  }

  private async store(key: string, value: object, ttl: number): Promise<void> {
    // Summaries and file contents are plain JSON (no dates, no undefined that matters).
    await this.deps.cache.set(key, value as JsonObject, { ttl });
  }
}
