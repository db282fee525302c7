import { VersionCell } from '@internal/plugin-environments-common';
import { markDrift, matchEnvironment } from './deployments';

const environments = [
  {
    entityRef: 'resource:default/checkout-qa-1',
    name: 'checkout-qa-1',
    title: 'Checkout QA 1',
    tier: 'test',
  },
  {
    entityRef: 'resource:default/checkout-qa-2',
    name: 'checkout-qa-2',
    tier: 'test',
  },
  {
    entityRef: 'resource:default/checkout-staging',
    name: 'checkout-staging',
    tier: 'staging',
  },
  {
    entityRef: 'resource:default/prod-eu',
    name: 'prod-eu',
    title: 'Production EU',
    tier: 'prod',
  },
];

describe('matchEnvironment', () => {
  it('matches by name or title, case aside', () => {
    expect(matchEnvironment('checkout-qa-2', environments)).toBe(
      'resource:default/checkout-qa-2',
    );
    expect(matchEnvironment('Checkout QA 1', environments)).toBe(
      'resource:default/checkout-qa-1',
    );
    expect(matchEnvironment('PROD-EU', environments)).toBe(
      'resource:default/prod-eu',
    );
  });

  it('matches a tier name when one environment has that tier', () => {
    expect(matchEnvironment('staging', environments)).toBe(
      'resource:default/checkout-staging',
    );
    expect(matchEnvironment('production', environments)).toBe(
      'resource:default/prod-eu',
    );
    expect(matchEnvironment('stage', environments)).toBe(
      'resource:default/checkout-staging',
    );
  });

  it('leaves ambiguous and unknown names unmatched', () => {
    // Two test environments: which one is meant is not clear.
    expect(matchEnvironment('qa', environments)).toBeUndefined();
    expect(matchEnvironment('preview-42', environments)).toBeUndefined();
  });
});

describe('markDrift', () => {
  const cell = (
    environmentRef: string,
    version: string,
    deployedAt: string,
  ): VersionCell => ({
    entityRef: 'component:default/payments-api',
    environmentRef,
    version,
    deployedAt,
    provider: 'github',
  });
  const tiers: Record<string, string> = {
    'resource:default/checkout-staging': 'staging',
    'resource:default/prod-eu': 'prod',
    'resource:default/prod-us': 'prod',
  };

  it('marks environments that run another version than production', () => {
    const cells = markDrift(
      [
        cell(
          'resource:default/checkout-staging',
          'v1.3.0',
          '2026-11-27T09:00:00Z',
        ),
        cell('resource:default/prod-eu', 'v1.2.0', '2026-11-26T09:00:00Z'),
      ],
      ref => tiers[ref],
      'prod',
    );
    expect(cells[0].drift).toEqual({
      referenceEnvironmentRef: 'resource:default/prod-eu',
      referenceVersion: 'v1.2.0',
    });
    expect(cells[1].drift).toBeUndefined();
  });

  it('compares production regions with the newest production deployment', () => {
    const cells = markDrift(
      [
        cell('resource:default/prod-eu', 'v1.2.0', '2026-11-26T09:00:00Z'),
        cell('resource:default/prod-us', 'v1.1.0', '2026-11-20T09:00:00Z'),
        cell(
          'resource:default/checkout-staging',
          'v1.2.0',
          '2026-11-25T09:00:00Z',
        ),
      ],
      ref => tiers[ref],
      'prod',
    );
    expect(cells.map(c => c.drift?.referenceVersion)).toEqual([
      undefined,
      'v1.2.0',
      undefined,
    ]);
  });

  it('marks nothing without a reference deployment', () => {
    const cells = markDrift(
      [
        cell(
          'resource:default/checkout-staging',
          'v1.3.0',
          '2026-11-27T09:00:00Z',
        ),
      ],
      ref => tiers[ref],
      'prod',
    );
    expect(cells[0].drift).toBeUndefined();
  });
});
