import { Config } from '@backstage/config';
import { ChangeFailureSignal } from '@internal/plugin-environments-common';
import { ChangeFailureSettings } from '../domain/dora';

const SIGNALS: ChangeFailureSignal[] = [
  'failed-deployment',
  'rollback',
  'slo-fast-burn',
];

/** The DORA settings: what a failed change is, and how long the SLO history is kept. */
export interface DoraSettings {
  changeFailure: ChangeFailureSettings;
  /** SLO snapshots are kept this many days. */
  sloHistoryRetentionDays: number;
}

/**
 * `environments.dora.changeFailure` and `environments.sloHistory.retentionDays`, with defaults:
 * a 24-hour window, every signal, 90 days of SLO history (enough for a quarter's metrics).
 */
export function readDoraSettings(config: Config): DoraSettings {
  const failure = config.getOptionalConfig('environments.dora.changeFailure');
  const windowHours = failure?.getOptionalNumber('windowHours') ?? 24;
  if (!(windowHours > 0)) {
    throw new Error(
      `environments.dora.changeFailure.windowHours must be a positive number, not ${windowHours}`,
    );
  }
  const signals = failure?.getOptionalStringArray('signals') ?? SIGNALS;
  const unknown = signals.filter(
    signal => !SIGNALS.includes(signal as ChangeFailureSignal),
  );
  if (unknown.length > 0) {
    throw new Error(
      `environments.dora.changeFailure.signals: unknown ${unknown.join(
        ', ',
      )}; use ${SIGNALS.join(', ')}`,
    );
  }
  const retentionDays =
    config.getOptionalNumber('environments.sloHistory.retentionDays') ?? 90;
  if (!(retentionDays > 0)) {
    throw new Error(
      `environments.sloHistory.retentionDays must be a positive number, not ${retentionDays}`,
    );
  }
  return {
    changeFailure: {
      windowHours,
      signals: [...new Set(signals)] as ChangeFailureSignal[],
    },
    sloHistoryRetentionDays: retentionDays,
  };
}
