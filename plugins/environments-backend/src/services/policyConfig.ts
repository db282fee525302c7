import { Config } from '@backstage/config';
import { stringifyEntityRef, parseEntityRef } from '@backstage/catalog-model';
import {
  EMPTY_POLICY_SET,
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

function readSettings(config: Config): PolicySettings {
  const settings: PolicySettings = {
    maxDurationHours: limit(config, 'maxDurationHours'),
    maxAdvanceDays: limit(config, 'maxAdvanceDays'),
    minNoticeMinutes: limit(config, 'minNoticeMinutes', true),
    maxExtensions: limit(config, 'maxExtensions', true),
    requiresApproval: config.getOptionalBoolean('requiresApproval'),
  };
  return Object.fromEntries(
    Object.entries(settings).filter(([, value]) => value !== undefined),
  );
}

function limit(
  config: Config,
  key: string,
  allowZero = false,
): number | undefined {
  const value = config.getOptionalNumber(key);
  if (value !== undefined && (value < 0 || (!allowZero && value === 0))) {
    throw new Error(
      `Invalid booking policy: ${key} must be ${
        allowZero ? '0 or more' : 'more than 0'
      }`,
    );
  }
  return value;
}
