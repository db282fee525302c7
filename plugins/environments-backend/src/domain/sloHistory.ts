import { SloSummary } from '@internal/plugin-environments-common';

/** One objective of an SLO as the SLO history task found it at one moment. */
export interface SloSnapshot {
  entityRef: string;
  sloName: string;
  objective: string;
  /** The environment evaluated; absent for an SLO not scoped by an environment label. */
  environmentRef?: string;
  at: Date;
  sli?: number;
  budgetRemaining?: number;
  /** Of the fastest page-severity burn-rate window. */
  shortBurnRate?: number;
  longBurnRate?: number;
  /** A page-severity burn-rate alert would fire (the plugin's alert thresholds). */
  fastBurn: boolean;
  /** The error budget is exhausted, or the objective is missed. */
  breached: boolean;
}

/**
 * The snapshots of an evaluated SLO, one per objective. Only numbers read from the source now
 * count: a summary that is stale, or has no numbers, gives none (no made-up "healthy").
 */
export function snapshotsOf(
  summary: SloSummary,
  where: { entityRef: string; environmentRef?: string },
  at: Date,
): SloSnapshot[] {
  if (summary.source.status !== 'ok') return [];
  return summary.objectives.flatMap(objective => {
    if (objective.budgetRemaining === undefined) return [];
    const page = objective.burnRates.filter(w => w.severity === 'page');
    // The shortest page window reacts first: the one whose rates are worth keeping.
    const fastest = [...page].sort((a, b) => a.longMs - b.longMs)[0];
    return [
      {
        entityRef: where.entityRef,
        sloName: summary.name,
        objective: objective.name,
        environmentRef: where.environmentRef,
        at,
        sli: objective.sli,
        budgetRemaining: objective.budgetRemaining,
        shortBurnRate: fastest?.shortBurnRate,
        longBurnRate: fastest?.longBurnRate,
        fastBurn: page.some(w => w.firing),
        breached:
          objective.status === 'breached' || objective.budgetRemaining <= 0,
      },
    ];
  });
}
