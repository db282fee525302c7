import { Entity } from '@backstage/catalog-model';
import {
  isEnvironmentEntity,
  readEnvironmentSettings,
  relationTarget,
  relationTargets,
} from './environmentEntity';

function resource(
  annotations: Record<string, string> = {},
  type = 'environment',
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name: 'qa-1', annotations },
    spec: { type, owner: 'group:default/platform' },
  };
}

describe('isEnvironmentEntity', () => {
  it('accepts resources of type environment, in any kind casing', () => {
    expect(isEnvironmentEntity(resource())).toBe(true);
    expect(isEnvironmentEntity({ ...resource(), kind: 'resource' })).toBe(true);
  });

  it('rejects other resource types and other kinds', () => {
    expect(isEnvironmentEntity(resource({}, 'database'))).toBe(false);
    expect(isEnvironmentEntity({ ...resource(), kind: 'Component' })).toBe(
      false,
    );
  });
});

describe('readEnvironmentSettings', () => {
  it('defaults to an exclusive, bookable environment of unknown tier', () => {
    expect(readEnvironmentSettings(resource())).toEqual({
      tier: 'unknown',
      bookable: true,
      capacity: 1,
      componentSlots: [],
      healthCheckUrl: undefined,
    });
  });

  it('reads tier, bookable, capacity and health-check URL', () => {
    expect(
      readEnvironmentSettings(
        resource({
          'tem.dev/tier': ' Staging ',
          'tem.dev/bookable': 'FALSE',
          'tem.dev/capacity': '3',
          'tem.dev/health-check-url': 'https://qa-1.example.com/health',
        }),
      ),
    ).toEqual({
      tier: 'staging',
      bookable: false,
      capacity: 3,
      componentSlots: [],
      healthCheckUrl: 'https://qa-1.example.com/health',
    });
  });

  it.each(['0', '-2', '1.5', 'lots', '', '1001'])(
    'falls back to capacity 1 for %j',
    capacity => {
      expect(
        readEnvironmentSettings(resource({ 'tem.dev/capacity': capacity }))
          .capacity,
      ).toBe(1);
    },
  );

  it('reads component slots as normalised refs, skipping malformed ones', () => {
    expect(
      readEnvironmentSettings(
        resource({
          'tem.dev/components': 'payments-api, component:default/Web,,  :bad:',
        }),
      ).componentSlots,
    ).toEqual(['component:default/payments-api', 'component:default/web']);
  });

  it('treats any bookable value other than "false" as bookable', () => {
    expect(
      readEnvironmentSettings(resource({ 'tem.dev/bookable': 'no' })).bookable,
    ).toBe(true);
  });

  it.each(['data:text/html,hello', 'not a url', 'ftp://host/x'])(
    'ignores the non-HTTP health-check URL %j',
    url => {
      expect(
        readEnvironmentSettings(resource({ 'tem.dev/health-check-url': url }))
          .healthCheckUrl,
      ).toBeUndefined();
    },
  );
});

describe('relationTargets', () => {
  const entity: Entity = {
    ...resource(),
    relations: [
      { type: 'partOf', targetRef: 'system:default/shop' },
      { type: 'ownedBy', targetRef: 'group:default/platform' },
      { type: 'partOf', targetRef: 'system:default/other' },
    ],
  };

  it('lists the targets of one relation type in order', () => {
    expect(relationTargets(entity, 'partOf')).toEqual([
      'system:default/shop',
      'system:default/other',
    ]);
    expect(relationTarget(entity, 'ownedBy')).toBe('group:default/platform');
  });

  it('is empty for entities without relations', () => {
    expect(relationTargets(resource(), 'partOf')).toEqual([]);
    expect(relationTarget(resource(), 'ownedBy')).toBeUndefined();
  });
});
