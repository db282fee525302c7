import { Config } from '@backstage/config';
import { stringifyEntityRef, parseEntityRef } from '@backstage/catalog-model';
import { BookingPolicy } from '@internal/plugin-environments-common';
import {
  EMPTY_POLICY_SET,
  POLICY_FIELDS,
  policyValueProblem,
  PolicySet,
  PolicySettings,
} from '../domain/policies';

/** Reads `environments.bookingPolicies`; a malformed entry fails start-up with its config path. */
export function readPolicySet(config: Config): PolicySet {
  const root = config.getOptionalConfig('environments.bookingPolicies');
  if (!root) return EMPTY_POLICY_SET;
  const global = root.getOptionalConfig('global');
  return {
    global: global ? readSettings(global) : {},
    tiers: new Map(
      (root.getOptionalConfigArray('tiers') ?? []).map(c => [
        c.getString('tier').toLocaleLowerCase('en-US'),
        readSettings(c),
      ]),
    ),
    environments: new Map(
      (root.getOptionalConfigArray('environments') ?? []).map(c => [
        stringifyEntityRef(
          parseEntityRef(c.getString('entityRef'), {
            defaultKind: 'resource',
            defaultNamespace: 'default',
          }),
        ),
        readSettings(c),
      ]),
    ),
  };
}

/** One level's policy; each field is checked by the rule the admin API uses too. */
function readSettings(config: Config): PolicySettings {
  const settings: Record<string, unknown> = {};
  for (const [field, rule] of Object.entries(POLICY_FIELDS)) {
    const value =
      rule.type === 'boolean'
        ? config.getOptionalBoolean(field)
        : config.getOptionalNumber(field);
    if (value === undefined) continue;
    const problem = policyValueProblem(field as keyof BookingPolicy, value);
    if (problem) {
      throw new Error(`Invalid booking policy: ${field} ${problem}`);
    }
    settings[field] = value;
  }
  return settings as PolicySettings;
}
