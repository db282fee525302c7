import { Entity } from '@backstage/catalog-model';
import {
  Environment,
  EnvironmentOverrides,
} from '@internal/plugin-environments-common';
import {
  compareEnvironments,
  parseEnvironmentStateChange,
  runsIn,
  withOverrides,
  toEnvironment,
  toSnapshot,
} from './environments';

function environment(
  name: string,
  relations: Entity['relations'] = [],
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name,
      namespace: 'default',
      title: `Env ${name}`,
      annotations: { 'tem.dev/tier': 'test', 'tem.dev/capacity': '2' },
    },
    spec: { type: 'environment', owner: 'group:default/platform' },
    relations,
  };
}

const component: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments-api', namespace: 'default' },
  spec: { type: 'service' },
  relations: [
    { type: 'partOf', targetRef: 'system:default/checkout' },
    { type: 'dependsOn', targetRef: 'resource:default/perf-lab' },
  ],
};

describe('runsIn', () => {
  it('links environments of the same system', () => {
    const qa = environment('qa-1', [
      { type: 'partOf', targetRef: 'system:default/checkout' },
    ]);
    expect(runsIn(component, qa)).toBe(true);
  });

  it('links environments the entity depends on', () => {
    expect(runsIn(component, environment('perf-lab'))).toBe(true);
  });

  it('does not link environments of other systems or without a relation', () => {
    const other = environment('search-qa', [
      { type: 'partOf', targetRef: 'system:default/discovery' },
    ]);
    expect(runsIn(component, other)).toBe(false);
    expect(runsIn(component, environment('prod-eu'))).toBe(false);
  });

  it('links nothing to an entity without relations', () => {
    const bare = { ...component, relations: undefined };
    expect(runsIn(bare, environment('perf-lab'))).toBe(false);
  });
});

describe('toSnapshot and toEnvironment', () => {
  const now = new Date('2026-11-27T12:00:00Z');
  const noPolicy = { requiresApproval: false };
  const entity = environment('qa-1', [
    { type: 'ownedBy', targetRef: 'group:default/platform' },
    { type: 'partOf', targetRef: 'system:default/checkout' },
  ]);

  it('takes catalog facts from the entity', () => {
    expect(toSnapshot(entity)).toEqual({
      entityRef: 'resource:default/qa-1',
      title: 'Env qa-1',
      tier: 'test',
      ownerRef: 'group:default/platform',
      systemRef: 'system:default/checkout',
      bookable: true,
      capacity: 2,
    });
  });

  it('shows an environment the sync has not seen yet as available', () => {
    expect(
      toEnvironment(
        entity,
        { bookings: [], blackouts: [], policy: noPolicy },
        now,
      ),
    ).toMatchObject({
      entityRef: 'resource:default/qa-1',
      name: 'qa-1',
      namespace: 'default',
      status: 'available',
      firstSeenAt: undefined,
    });
  });

  it('takes status and times from the stored state, facts from the live entity', () => {
    const stored = {
      ...toSnapshot(entity),
      tier: 'stale-tier',
      status: 'maintenance' as const,
      statusChangedAt: new Date('2026-11-27T10:00:00Z'),
      firstSeenAt: new Date('2026-11-01T10:00:00Z'),
      lastSeenAt: new Date('2026-11-27T10:00:00Z'),
      overrides: {},
    };
    expect(
      toEnvironment(
        entity,
        { state: stored, bookings: [], blackouts: [], policy: noPolicy },
        now,
      ),
    ).toMatchObject({
      tier: 'test',
      status: 'maintenance',
      statusChangedAt: '2026-11-27T10:00:00.000Z',
      firstSeenAt: '2026-11-01T10:00:00.000Z',
    });
  });
});

describe('administrator overrides', () => {
  const now = new Date('2026-11-27T12:00:00Z');
  const entity = environment('qa-1');
  const state = (overrides: EnvironmentOverrides) => ({
    ...toSnapshot(entity),
    status: 'available' as const,
    statusChangedAt: now,
    firstSeenAt: now,
    lastSeenAt: now,
    overrides,
  });
  const shown = (overrides: EnvironmentOverrides) =>
    toEnvironment(
      entity,
      {
        state: state(overrides),
        bookings: [],
        blackouts: [],
        policy: { requiresApproval: false },
      },
      now,
    );

  it('replace the catalog values they set and say so', () => {
    // The catalog says capacity 2, bookable, no slots.
    expect(
      shown({ capacity: 5, componentSlots: ['component:default/web'] }),
    ).toMatchObject({
      bookable: true,
      capacity: 5,
      componentSlots: ['component:default/web'],
      overrides: { capacity: 5, componentSlots: ['component:default/web'] },
    });
    expect(shown({ bookable: false })).toMatchObject({
      bookable: false,
      capacity: 2,
    });
  });

  it('leave the catalog values alone when there are none', () => {
    const plain = shown({});
    expect(plain).toMatchObject({ bookable: true, capacity: 2 });
    expect(plain.overrides).toBeUndefined();
  });

  it('apply to any settings, an empty slot list included', () => {
    expect(
      withOverrides(
        {
          bookable: true,
          capacity: 1,
          componentSlots: ['component:default/a'],
        },
        { componentSlots: [], capacity: undefined },
      ),
    ).toEqual({ bookable: true, capacity: 1, componentSlots: [] });
  });
});

describe('parseEnvironmentStateChange', () => {
  it('takes the fields given, normalising component refs and dropping repeats', () => {
    expect(
      parseEnvironmentStateChange({
        status: 'maintenance',
        capacity: 3,
        componentSlots: ['web', 'component:default/web', 'other/api'],
        reason: 'Database upgrade',
      }),
    ).toEqual({
      status: 'maintenance',
      capacity: 3,
      componentSlots: ['component:default/web', 'component:other/api'],
      reason: 'Database upgrade',
    });
  });

  it('takes null as "back to the catalog value"', () => {
    expect(
      parseEnvironmentStateChange({
        bookable: null,
        capacity: null,
        componentSlots: null,
      }),
    ).toEqual({
      bookable: null,
      capacity: null,
      componentSlots: null,
      reason: undefined,
    });
  });

  it.each([
    [
      { status: 'closed' },
      'status: must be one of available, maintenance, retired',
    ],
    [{ bookable: 'yes' }, 'bookable: must be true, false or null'],
    [
      { capacity: 0 },
      'capacity: must be a whole number from 1 to 1000, or null',
    ],
    [
      { capacity: 1.5 },
      'capacity: must be a whole number from 1 to 1000, or null',
    ],
    [
      { capacity: 1001 },
      'capacity: must be a whole number from 1 to 1000, or null',
    ],
    [
      { componentSlots: 'web' },
      'componentSlots: must be a list of at most 50 component refs, or null',
    ],
    [
      { componentSlots: ['web', 'group:default/team'] },
      'componentSlots[1]: must refer to a component, got group',
    ],
    [{ componentSlots: [''] }, 'componentSlots[0]: is not a valid entity ref'],
    [{ capacity: 2, tier: 'prod' }, 'Unknown field(s): tier'],
    [
      { reason: 'Nothing else' },
      'The request changes nothing: give status, bookable, capacity or componentSlots',
    ],
    [[], 'The request body must be a JSON object'],
  ])('refuses %j: %s', (body, message) => {
    expect(() => parseEnvironmentStateChange(body)).toThrow(message);
  });
});

describe('compareEnvironments', () => {
  const env = (name: string, tier: string) => ({ name, tier } as Environment);

  it('orders by tier from dev to prod, unknown tiers last, then by name', () => {
    const sorted = [
      env('b', 'prod'),
      env('z', 'lab'),
      env('b', 'test'),
      env('a', 'test'),
      env('x', 'dev'),
      env('a', 'custom'),
    ].sort(compareEnvironments);
    expect(sorted.map(e => `${e.tier}/${e.name}`)).toEqual([
      'dev/x',
      'test/a',
      'test/b',
      'prod/b',
      'custom/a',
      'lab/z',
    ]);
  });
});
