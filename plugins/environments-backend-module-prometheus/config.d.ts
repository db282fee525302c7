export interface Config {
  environments?: {
    /**
     * The Prometheus (or Prometheus-compatible: Thanos, Mimir, VictoriaMetrics) HTTP API that
     * SLIs are read from. Without it, SLOs show "no SLI source configured".
     */
    prometheus?: {
      /** Base URL, e.g. `http://prometheus:9090` (the API is under `/api/v1`). */
      baseUrl: string;
      /**
       * Bearer token sent with every query.
       * @visibility secret
       */
      bearerToken?: string;
      /**
       * Extra headers, e.g. `X-Scope-OrgID` for a multi-tenant Mimir. Every value is a secret
       * (`@visibility` would mark only the map, not what is in it).
       * @deepVisibility secret
       */
      headers?: { [name: string]: string };
      /** How long one query may take, in milliseconds. Defaults to 10000. */
      timeoutMs?: number;
    };
  };
}
