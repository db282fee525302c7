import {
  Entity,
  RELATION_DEPENDS_ON,
  RELATION_OWNED_BY,
  RELATION_PART_OF,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  BookingPolicy,
  Environment,
  EnvironmentHealth,
  EnvironmentSettings,
  EnvironmentStatus,
  readEnvironmentSettings,
  relationTarget,
  relationTargets,
} from '@internal/plugin-environments-common';
import { effectiveStatus, StoredBlackout } from './blackouts';
import { isCurrent, StoredBooking, toBookingResponse } from './bookings';
import { CurrentHealth } from './health';

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

/** The stored state of an environment, normalised across databases. */
export interface EnvironmentState extends EnvironmentSnapshot {
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
  const settings = readEnvironmentSettings(entity);
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
  };
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
