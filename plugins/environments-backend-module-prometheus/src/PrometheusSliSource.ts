import { Config } from '@backstage/config';
import {
  networkErrorCode,
  SLI_POINTS_PER_QUERY,
  SliPoint,
  SliSeriesRequest,
  SliSource,
} from '@internal/plugin-environments-node';
import { countQuery, withLabels, worstQuery } from './promql';

const DEFAULT_TIMEOUT_MS = 10_000;

interface PrometheusOptions {
  baseUrl: string;
  headers?: Record<string, string>;
  bearerToken?: string;
  timeoutMs?: number;
}

interface RangeResponse {
  status: 'success' | 'error';
  error?: string;
  errorType?: string;
  data?: {
    resultType: string;
    result: Array<{
      metric: Record<string, string>;
      values: [number, string][];
    }>;
  };
}

/**
 * Reads SLIs from a Prometheus HTTP API (`/api/v1/query_range`), always with explicit times.
 * A bucket without a sample, or with NaN or an infinity (no traffic), comes back undefined.
 */
export class PrometheusSliSource implements SliSource {
  readonly type = 'prometheus';

  /** The source configured at `environments.prometheus`, if any. */
  static fromConfig(config: Config): PrometheusSliSource | undefined {
    const prometheus = config.getOptionalConfig('environments.prometheus');
    if (!prometheus) return undefined;
    return new PrometheusSliSource({
      baseUrl: prometheus.getString('baseUrl'),
      bearerToken: prometheus.getOptionalString('bearerToken'),
      headers: prometheus.getOptional<Record<string, string>>('headers'),
      timeoutMs: prometheus.getOptionalNumber('timeoutMs'),
    });
  }

  constructor(private readonly options: PrometheusOptions) {}

  countEvents(request: SliSeriesRequest): Promise<SliPoint[]> {
    return this.range(
      countQuery(
        withLabels(request.query, request.labels),
        request.stepMs / 1000,
      ),
      request,
    );
  }

  worstValues(
    request: SliSeriesRequest & { worst: 'max' | 'min' },
  ): Promise<SliPoint[]> {
    return this.range(
      worstQuery(
        withLabels(request.query, request.labels),
        request.stepMs / 1000,
        request.worst,
      ),
      request,
    );
  }

  /** One value per bucket end from `firstEnd` to `lastEnd`, in as few queries as the API allows. */
  private async range(
    query: string,
    request: SliSeriesRequest,
  ): Promise<SliPoint[]> {
    const { firstEnd, lastEnd, stepMs } = request;
    // One slot per bucket end, filled in place: a 30-day window has thousands of points per
    // query and a roll-up hundreds of queries, so no intermediate pairs or maps.
    const values: Array<number | undefined> = new Array(
      Math.max(0, Math.floor((lastEnd - firstEnd) / stepMs) + 1),
    ).fill(undefined);
    const chunkMs = (SLI_POINTS_PER_QUERY - 1) * stepMs;
    for (let start = firstEnd; start <= lastEnd; start += chunkMs + stepMs) {
      const end = Math.min(lastEnd, start + chunkMs);
      for (const [seconds, text] of await this.queryRange(
        query,
        start,
        end,
        stepMs,
      )) {
        const slot = Math.round((seconds * 1000 - firstEnd) / stepMs);
        const value = Number(text);
        if (slot >= 0 && slot < values.length && Number.isFinite(value)) {
          values[slot] = value;
        }
      }
    }
    return values.map((value, slot) => ({
      end: firstEnd + slot * stepMs,
      value,
    }));
  }

  private async queryRange(
    query: string,
    startMs: number,
    endMs: number,
    stepMs: number,
  ): Promise<Array<[number, string]>> {
    const url = `${this.options.baseUrl.replace(
      /\/+$/,
      '',
    )}/api/v1/query_range`;
    const body = new URLSearchParams({
      query,
      start: String(startMs / 1000),
      end: String(endMs / 1000),
      step: `${stepMs / 1000}s`,
    });
    const headers: Record<string, string> = {
      ...this.options.headers,
      'Content-Type': 'application/x-www-form-urlencoded',
      Accept: 'application/json',
    };
    if (this.options.bearerToken) {
      headers.Authorization = `Bearer ${this.options.bearerToken}`;
    }
    const timeoutMs = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const reason =
        (error as Error).name === 'TimeoutError'
          ? `no answer within ${timeoutMs} ms`
          : `${new URL(url).host} could not be reached (${networkErrorCode(
              error,
            )})`;
      throw new Error(`Prometheus query failed: ${reason}`);
    }
    let parsed: RangeResponse;
    try {
      parsed = (await response.json()) as RangeResponse;
    } catch (error) {
      // The timeout also covers reading the body.
      throw new Error(
        ['TimeoutError', 'AbortError'].includes((error as Error).name)
          ? `Prometheus query failed: no complete answer within ${timeoutMs} ms`
          : `Prometheus answered ${response.status} with a body that is not JSON`,
      );
    }
    if (!response.ok || parsed?.status === 'error') {
      throw new Error(
        this.withoutSecrets(
          `Prometheus answered ${response.status}: ${
            parsed?.errorType ?? 'error'
          }: ${parsed?.error ?? response.statusText}`,
        ),
      );
    }
    // JSON that is no Prometheus answer (a proxy's own, with a 200) is not an error of the query.
    if (
      parsed?.status !== 'success' ||
      parsed.data?.resultType !== 'matrix' ||
      !Array.isArray(parsed.data.result)
    ) {
      throw new Error('Prometheus answered with an unexpected result shape');
    }
    // The queries aggregate with sum/max/min, so there is at most one series.
    return parsed.data.result[0]?.values ?? [];
  }

  /**
   * Prometheus' own words help with a bad query, so they reach the SLOs tab; but a proxy in
   * front of it may repeat the request's credentials in its error, and those stay here.
   */
  private withoutSecrets(message: string): string {
    const secrets = [
      this.options.bearerToken,
      ...Object.values(this.options.headers ?? {}),
    ].filter((secret): secret is string => Boolean(secret));
    return secrets.reduce(
      (text, secret) => text.split(secret).join('[redacted]'),
      message,
    );
  }
}
