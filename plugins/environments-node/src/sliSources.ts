import { createExtensionPoint } from '@backstage/backend-plugin-api';

/**
 * Buckets one query may ask a source for. Prometheus answers at most 11,000 points per series;
 * the plugin plans its buckets to fit, and sources split longer ranges.
 */
export const SLI_POINTS_PER_QUERY = 11_000;

/** One value of a series: the bucket or slice ending at `end` (ms since the epoch). */
export interface SliPoint {
  end: number;
  /** Undefined where the source had no data, or the value was NaN or infinite. */
  value: number | undefined;
}

/** What the environments backend asks an SLI source for. */
export interface SliSeriesRequest {
  /** The SLO file's query, e.g. a PromQL metric selector. */
  query: string;
  /** Label matchers to add (the environment, when the SLO is scoped by one). */
  labels: Record<string, string>;
  /** End of the first bucket and of the last one, ms since the epoch, multiples of `stepMs`. */
  firstEnd: number;
  lastEnd: number;
  stepMs: number;
}

/**
 * A metrics system SLIs are computed from (Prometheus and compatible APIs first). Sources
 * answer with plain numbers per bucket; the error-budget arithmetic stays in the plugin, so
 * every source gets the same SLIs, budgets and burn rates.
 */
export interface SliSource {
  /** The OpenSLO `metricSource.type` it serves, lower case, e.g. `prometheus`. */
  readonly type: string;
  /**
   * How many events a counter counted in each bucket `(end - stepMs, end]`, for bucket ends
   * from `firstEnd` to `lastEnd`, summed over all matching series.
   */
  countEvents(request: SliSeriesRequest): Promise<SliPoint[]>;
  /** The worst (highest or lowest) value of a gauge within each bucket, for threshold SLIs. */
  worstValues(
    request: SliSeriesRequest & { worst: 'max' | 'min' },
  ): Promise<SliPoint[]>;
}

/** Lets backend modules add SLI sources to the environments plugin. */
export interface EnvironmentsSliSourcesExtensionPoint {
  addSource(...sources: SliSource[]): void;
}

/** Extension point `environments.sli-sources`. */
export const environmentsSliSourcesExtensionPoint =
  createExtensionPoint<EnvironmentsSliSourcesExtensionPoint>({
    id: 'environments.sli-sources',
  });
