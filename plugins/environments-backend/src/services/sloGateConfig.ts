import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { SloGatePolicy } from './SloService';

/**
 * The error-budget gate's policy from `environments.sloGate`. By default a deployment is denied
 * once an objective's budget is spent or a page-level burn-rate alert would fire; SLOs without
 * data, or whose source is down with nothing known, do not block.
 */
export function readSloGatePolicy(config: Config): SloGatePolicy {
  const gate = config.getOptionalConfig('environments.sloGate');
  const choice = (key: string): 'allow' | 'deny' => {
    const value = gate?.getOptionalString(key) ?? 'allow';
    if (value !== 'allow' && value !== 'deny') {
      throw new InputError(
        `environments.sloGate.${key} must be allow or deny, not ${value}`,
      );
    }
    return value;
  };
  return {
    minBudgetRemaining: gate?.getOptionalNumber('minBudgetRemaining') ?? 0,
    denyOnFastBurn: gate?.getOptionalBoolean('denyOnFastBurn') ?? true,
    onNoData: choice('onNoData'),
    onSourceUnavailable: choice('onSourceUnavailable'),
  };
}
