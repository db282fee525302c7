import {
  Entity,
  RELATION_DEPENDS_ON,
  RELATION_OWNED_BY,
  RELATION_PART_OF,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  BookingPolicy,
  Environment,
  EnvironmentHealth,
  EnvironmentOverrides,
  EnvironmentStateChange,
  EnvironmentSettings,
  EnvironmentStatus,
  MAX_CAPACITY,
  readEnvironmentSettings,
  relationTarget,
  relationTargets,
} from '@internal/plugin-environments-common';
import { effectiveStatus, StoredBlackout } from './blackouts';
import {
  entityRefField,
  isCurrent,
  rejectUnknownFields,
  requireObject,
  StoredBooking,
  stringField,
  toBookingResponse,
} from './bookings';
import { CurrentHealth } from './health';

const ENVIRONMENT_STATUSES: EnvironmentStatus[] = [
  'available',
  'maintenance',
  'retired',
];

/** How many upcoming bookings an environment shows. */
export const MAX_UPCOMING = 5;

/** What the catalog says about an environment, as the sync stores it. */
export interface EnvironmentSnapshot {
  entityRef: string;
  title?: string;
  tier: string;
  ownerRef?: string;
  systemRef?: string;
  bookable: boolean;
  capacity: number;
}

/**
 * The stored state of an environment, normalised across databases. `bookable` and `capacity`
 * are in force: the catalog's values unless an administrator overrode them.
 */
export interface EnvironmentState extends EnvironmentSnapshot {
  /** What an administrator set over the catalog's values (empty when nothing). */
  overrides: EnvironmentOverrides;
  status: EnvironmentStatus;
  statusChangedAt: Date;
  firstSeenAt: Date;
  lastSeenAt: Date;
  removedAt?: Date;
  /** What the health checks last found; absent before the first probe. */
  health?: CurrentHealth;
}

/** What the sync stores about an environment entity. */
export function toSnapshot(entity: Entity): EnvironmentSnapshot {
  return snapshotOf(entity, readEnvironmentSettings(entity));
}

function snapshotOf(
  entity: Entity,
  settings: EnvironmentSettings,
): EnvironmentSnapshot {
  return {
    entityRef: stringifyEntityRef(entity),
    title: entity.metadata.title,
    tier: settings.tier,
    ownerRef: relationTarget(entity, RELATION_OWNED_BY),
    systemRef: relationTarget(entity, RELATION_PART_OF),
    bookable: settings.bookable,
    capacity: settings.capacity,
  };
}

/**
 * An environment as the API shows it: the live catalog entity for the facts, the stored state for
 * what the plugin owns, the bookings for who holds it now and next, maintenance windows for its
 * status. An environment the sync has not seen yet is available.
 */
export function toEnvironment(
  entity: Entity,
  facts: {
    state?: EnvironmentState;
    /** Its bookings of the coming days. */
    bookings: StoredBooking[];
    /** Blackouts and maintenance windows that cover it now. */
    blackouts: StoredBlackout[];
    policy: BookingPolicy;
    /** Its health as of now; shown only when it has a health-check URL. */
    health?: CurrentHealth;
  },
  now: Date,
): Environment {
  const { state, bookings, blackouts, policy, health } = facts;
  const settings = withOverrides(
    readEnvironmentSettings(entity),
    state?.overrides,
  );
  const upcoming = bookings
    .filter(
      b =>
        (b.status === 'approved' || b.status === 'pending') &&
        b.start.getTime() > now.getTime(),
    )
    .sort((a, b) => a.start.getTime() - b.start.getTime());
  const current = bookings.find(b => isCurrent(b, now));
  return {
    ...snapshotOf(entity, settings),
    name: entity.metadata.name,
    namespace: entity.metadata.namespace ?? 'default',
    description: entity.metadata.description,
    componentSlots: settings.componentSlots,
    healthCheckUrl: settings.healthCheckUrl,
    health:
      settings.healthCheckUrl && health ? toHealthResponse(health) : undefined,
    status: effectiveStatus(state?.status ?? 'available', blackouts, now),
    firstSeenAt: state?.firstSeenAt.toISOString(),
    statusChangedAt: state?.statusChangedAt.toISOString(),
    currentBooking: current && toBookingResponse(current),
    upcomingBookings: upcoming.slice(0, MAX_UPCOMING).map(toBookingResponse),
    policy,
    overrides:
      state && Object.keys(state.overrides).length
        ? state.overrides
        : undefined,
  };
}

/** An environment's settings with an administrator's overrides in place of the catalog's. */
export function withOverrides<T extends Partial<EnvironmentSettings>>(
  settings: T,
  overrides: EnvironmentOverrides | undefined,
): T {
  return {
    ...settings,
    ...Object.fromEntries(
      Object.entries(overrides ?? {}).filter(
        ([, value]) => value !== undefined,
      ),
    ),
  };
}

/** Most component slots one environment can have; each is booked on its own. */
export const MAX_COMPONENT_SLOTS = 50;

/**
 * Validates the body of `PATCH /admin/environments/{namespace}/{name}`; InputError naming the
 * field. Component slots are normalised to full component refs, without duplicates.
 */
export function parseEnvironmentStateChange(
  body: unknown,
): EnvironmentStateChange {
  const fields = requireObject(body);
  rejectUnknownFields(fields, [
    'status',
    'bookable',
    'capacity',
    'componentSlots',
    'reason',
  ]);
  const change: EnvironmentStateChange = {
    reason: stringField(fields, 'reason', 4000, false),
  };
  const { status, bookable, capacity, componentSlots } = fields;
  if (status !== undefined) {
    if (!ENVIRONMENT_STATUSES.includes(status as EnvironmentStatus)) {
      throw new InputError(
        `status: must be one of ${ENVIRONMENT_STATUSES.join(', ')}`,
      );
    }
    change.status = status as EnvironmentStatus;
  }
  if (bookable !== undefined) {
    if (bookable !== null && typeof bookable !== 'boolean') {
      throw new InputError('bookable: must be true, false or null');
    }
    change.bookable = bookable;
  }
  if (capacity !== undefined) {
    if (
      capacity !== null &&
      !(
        typeof capacity === 'number' &&
        Number.isInteger(capacity) &&
        capacity >= 1 &&
        capacity <= MAX_CAPACITY
      )
    ) {
      throw new InputError(
        `capacity: must be a whole number from 1 to ${MAX_CAPACITY}, or null`,
      );
    }
    change.capacity = capacity;
  }
  if (componentSlots !== undefined) {
    change.componentSlots =
      componentSlots === null ? null : parseComponentSlots(componentSlots);
  }
  if (Object.keys(change).every(key => key === 'reason')) {
    throw new InputError(
      'The request changes nothing: give status, bookable, capacity or componentSlots',
    );
  }
  return change;
}

function parseComponentSlots(value: unknown): string[] {
  if (!Array.isArray(value) || value.length > MAX_COMPONENT_SLOTS) {
    throw new InputError(
      `componentSlots: must be a list of at most ${MAX_COMPONENT_SLOTS} component refs, or null`,
    );
  }
  const refs = value.map((item, i) => {
    const field = `componentSlots[${i}]`;
    return entityRefField({ [field]: item }, field, 'component', true)!;
  });
  return [...new Set(refs)];
}

function toHealthResponse(health: CurrentHealth): EnvironmentHealth {
  return {
    status: health.status,
    checkedAt: health.checkedAt?.toISOString(),
    since: health.since?.toISOString(),
    reason: health.reason,
  };
}

/**
 * Whether an entity (a component, usually) runs in an environment: the environment is part of
 * one of the entity's systems, or the entity depends on it directly.
 */
export function runsIn(entity: Entity, environment: Entity): boolean {
  const environmentRef = stringifyEntityRef(environment);
  if (relationTargets(entity, RELATION_DEPENDS_ON).includes(environmentRef)) {
    return true;
  }
  const systems = new Set(relationTargets(entity, RELATION_PART_OF));
  return relationTargets(environment, RELATION_PART_OF).some(system =>
    systems.has(system),
  );
}

/** Orders environments the way people scan them: by tier, then by name. */
export function compareEnvironments(a: Environment, b: Environment): number {
  return (
    tierRank(a.tier) - tierRank(b.tier) ||
    a.tier.localeCompare(b.tier) ||
    (a.title ?? a.name).localeCompare(b.title ?? b.name)
  );
}

const TIER_ORDER = [
  'dev',
  'development',
  'test',
  'qa',
  'staging',
  'perf',
  'preprod',
  'prod',
  'production',
];

function tierRank(tier: string): number {
  const rank = TIER_ORDER.indexOf(tier);
  return rank === -1 ? TIER_ORDER.length : rank;
}
