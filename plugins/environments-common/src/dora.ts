/** A DORA performance band, best first. */
export type DoraBand = 'elite' | 'high' | 'medium' | 'low';

/** What makes a deployment count as a failed change (`environments.dora.changeFailure.signals`). */
export type ChangeFailureSignal =
  /** The deployment itself, or the next one to the same environment, failed. */
  | 'failed-deployment'
  /** A later deployment to the same environment shipped a version deployed there before. */
  | 'rollback'
  /** An SLO of the component began burning its error budget fast (a page alert). */
  | 'slo-fast-burn';

/** One of the four DORA metrics over a period. */
export interface DoraMetric {
  key:
    | 'deploymentFrequency'
    | 'leadTimeForChanges'
    | 'changeFailureRate'
    | 'timeToRestore';
  title: string;
  /** Absent when there is nothing to compute it from (no deployments, no incidents). */
  value?: number;
  /** `per-day`: deployments per day; `hours`: a median duration; `ratio`: 0..1. */
  unit: 'per-day' | 'hours' | 'ratio';
  band?: DoraBand;
  /** How many deployments or incidents the value is computed from. */
  sampleSize: number;
  /** What the sample counts, e.g. `successful deployments`. */
  sampleOf: string;
  /** What else the reader should know about the sample, e.g. incidents not yet recovered. */
  note?: string;
}

/** Response of `GET /dora`. */
export interface DoraReport {
  /** The component, system or group asked about. */
  entityRef: string;
  kind: 'component' | 'system' | 'group';
  /** The components whose deployments and SLO history were counted. */
  components: string[];
  from: string;
  to: string;
  /** The environments measured: the one asked for, or every production-tier one. */
  environments: Array<{ entityRef: string; name: string; title?: string }>;
  /** Every environment the components have deployments in, for choosing another. */
  availableEnvironments: Array<{
    entityRef: string;
    name: string;
    title?: string;
    tier: string;
  }>;
  metrics: DoraMetric[];
  /** The change-failure definition in words, from the configuration. */
  changeFailureDefinition: string;
  /** The report the bands come from, e.g. `DORA Accelerate State of DevOps 2023`. */
  bandSource: string;
}
