import { ConfigReader } from '@backstage/config';
import { readPolicySet } from './policyConfig';

describe('readPolicySet', () => {
  it('reads global, tier and environment policies, normalising tiers and refs', () => {
    const set = readPolicySet(
      new ConfigReader({
        environments: {
          bookingPolicies: {
            global: { maxDurationHours: 72 },
            tiers: [
              { tier: 'Staging', requiresApproval: true, maxExtensions: 0 },
            ],
            environments: [{ entityRef: 'perf-lab', maxDurationHours: 24 }],
          },
        },
      }),
    );
    expect(set.global).toEqual({ maxDurationHours: 72 });
    expect(set.tiers.get('staging')).toEqual({
      requiresApproval: true,
      maxExtensions: 0,
    });
    expect(set.environments.get('resource:default/perf-lab')).toEqual({
      maxDurationHours: 24,
    });
  });

  it('is empty without configuration', () => {
    expect(readPolicySet(new ConfigReader({})).tiers.size).toBe(0);
  });

  it.each([
    { maxDurationHours: 0 },
    { maxExtensions: -1 },
    { maxAdvanceDays: 'soon' },
  ])('refuses the malformed policy %j at start-up', global => {
    expect(() =>
      readPolicySet(
        new ConfigReader({ environments: { bookingPolicies: { global } } }),
      ),
    ).toThrow();
  });
});
