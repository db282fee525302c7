import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  ANNOTATION_ENVIRONMENT_BOOKABLE,
  ANNOTATION_ENVIRONMENT_CAPACITY,
  ANNOTATION_ENVIRONMENT_COMPONENTS,
  ANNOTATION_ENVIRONMENT_HEALTH_CHECK_URL,
  ANNOTATION_ENVIRONMENT_TIER,
  ENVIRONMENT_RESOURCE_TYPE,
} from './annotations';

/** The catalog filter that selects environment entities. */
export const ENVIRONMENT_ENTITY_FILTER = {
  kind: 'Resource',
  'spec.type': ENVIRONMENT_RESOURCE_TYPE,
} as const;

/** Whether an entity is an environment (`kind: Resource`, `spec.type: environment`). */
export function isEnvironmentEntity(entity: Entity): boolean {
  return (
    entity.kind.toLocaleLowerCase('en-US') === 'resource' &&
    entity.spec?.type === ENVIRONMENT_RESOURCE_TYPE
  );
}

/** What the catalog declares about an environment, read from its annotations with defaults. */
export interface EnvironmentSettings {
  tier: string;
  bookable: boolean;
  capacity: number;
  /** Component refs that can be booked one at a time. */
  componentSlots: string[];
  healthCheckUrl?: string;
}

export const DEFAULT_TIER = 'unknown';
export const MAX_CAPACITY = 1000;

/**
 * Reads an environment's settings from its annotations. Malformed values fall back to the safe
 * default (exclusive, bookable) rather than failing: one bad catalog file must not hide the
 * environment from everyone.
 */
export function readEnvironmentSettings(entity: Entity): EnvironmentSettings {
  const annotations = entity.metadata.annotations ?? {};
  const tier =
    annotations[ANNOTATION_ENVIRONMENT_TIER]?.trim().toLocaleLowerCase('en-US');
  const capacity = Number(annotations[ANNOTATION_ENVIRONMENT_CAPACITY]);
  const healthCheckUrl =
    annotations[ANNOTATION_ENVIRONMENT_HEALTH_CHECK_URL]?.trim();
  return {
    tier: tier || DEFAULT_TIER,
    bookable:
      annotations[ANNOTATION_ENVIRONMENT_BOOKABLE]?.trim().toLocaleLowerCase(
        'en-US',
      ) !== 'false',
    capacity:
      Number.isInteger(capacity) && capacity >= 1 && capacity <= MAX_CAPACITY
        ? capacity
        : 1,
    componentSlots: readComponentSlots(
      annotations[ANNOTATION_ENVIRONMENT_COMPONENTS],
    ),
    healthCheckUrl: isHttpUrl(healthCheckUrl) ? healthCheckUrl : undefined,
  };
}

// Malformed entries are skipped, like the other annotations' malformed values.
function readComponentSlots(value: string | undefined): string[] {
  const refs = new Set<string>();
  for (const item of (value ?? '').split(',')) {
    if (!item.trim()) continue;
    try {
      const ref = parseEntityRef(item.trim(), {
        defaultKind: 'component',
        defaultNamespace: 'default',
      });
      refs.add(stringifyEntityRef(ref));
    } catch {
      // not an entity ref
    }
  }
  return [...refs];
}

/** Whether a value is an absolute http or https URL. */
export function isHttpUrl(value: string | undefined): value is string {
  if (!value) return false;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** Entity refs of the targets of an entity's relations of one type. */
export function relationTargets(entity: Entity, type: string): string[] {
  return (entity.relations ?? [])
    .filter(relation => relation.type === type)
    .map(relation => relation.targetRef);
}

/** The first target of a relation type, for relations an entity has at most one of. */
export function relationTarget(
  entity: Entity,
  type: string,
): string | undefined {
  return relationTargets(entity, type)[0];
}
