/**
 * Why a request could not reach its server, as a code (`ECONNREFUSED`, `ENOTFOUND`). Not the
 * error's message: for a URL with credentials in it, that names them.
 */
export function networkErrorCode(error: unknown): string {
  // The cause is the socket's error: its code, or a message naming only address and port.
  const cause = (error as { cause?: { code?: string; message?: string } })
    .cause;
  return cause?.code ?? cause?.message ?? 'network error';
}

/** Why a CI system could not answer. */
export type CiUpstreamProblem =
  | 'timeout'
  | 'rate-limited'
  | 'unavailable'
  | 'not-found'
  | 'refused';

/** A CI system failed to answer; the plugin serves the last known data marked stale. */
export class CiUpstreamError extends Error {
  constructor(
    message: string,
    readonly problem: CiUpstreamProblem,
    readonly status?: number,
    /** For `rate-limited`: when the limit resets. */
    readonly retryAt?: Date,
  ) {
    super(message);
    this.name = 'CiUpstreamError';
  }
}

/**
 * A run id of a CI system whose ids are numbers, as a path segment of its API. Anything else
 * (`..` would climb out of the runs path, with the server's token) names no run and is not
 * sent: it fails as not found, saying `noRun`.
 */
export function numericRunId(runId: string, noRun: string): string {
  if (!/^\d+$/.test(runId)) throw new CiUpstreamError(noRun, 'not-found');
  return runId;
}

export interface CiHttpOptions {
  /** Longest wait for one answer. Default 10 s. */
  timeoutMs?: number;
  /** Requests in flight to one host at once. Default 4. */
  maxConcurrentPerHost?: number;
  /** Retries after a 429, a rate-limit 403 or a 5xx. Default 2. */
  maxRetries?: number;
  /** A rate limit that resets later than this fails at once instead of waiting. Default 10 s. */
  maxRetryWaitMs?: number;
  /** Conditional-request entries kept (ETag and body per URL and credential). Default 5,000. */
  maxEtags?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** What reached the CI system, for tests and the benchmark's upstream economy. */
export interface CiHttpStats {
  requests: number;
  notModified: number;
  retries: number;
}

/** Runs at most `limit` tasks at once. */
class Semaphore {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) {
      await new Promise<void>(resolve => this.waiting.push(resolve));
    }
    this.active += 1;
    try {
      return await task();
    } finally {
      this.active -= 1;
      this.waiting.shift()?.();
    }
  }
}

/** How long a rate-limited answer asks to wait, from `Retry-After` or GitHub's reset header. */
function rateLimitWait(response: Response, now: number): number | undefined {
  const retryAfter = response.headers.get('retry-after');
  if (retryAfter !== null) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  const reset = response.headers.get('x-ratelimit-reset');
  if (reset !== null && response.headers.get('x-ratelimit-remaining') === '0') {
    return Math.max(0, Number(reset) * 1000 - now);
  }
  return undefined;
}

function isRateLimited(response: Response): boolean {
  if (response.status === 429) return true;
  return (
    response.status === 403 &&
    (response.headers.get('x-ratelimit-remaining') === '0' ||
      response.headers.has('retry-after'))
  );
}

/**
 * The HTTP client CI providers share: a timeout on every request, a cap on requests in flight
 * per host, retries that honour `Retry-After` and rate-limit resets, and conditional GETs
 * (`If-None-Match`): a 304 answers from the stored body and does not spend GitHub's quota.
 */
export class CiHttpClient {
  readonly stats: CiHttpStats = { requests: 0, notModified: 0, retries: 0 };
  private readonly hosts = new Map<string, Semaphore>();
  private readonly etags = new Map<string, { etag: string; body: unknown }>();
  private readonly options: Required<CiHttpOptions>;

  constructor(options: CiHttpOptions = {}) {
    this.options = {
      timeoutMs: 10_000,
      maxConcurrentPerHost: 4,
      maxRetries: 2,
      maxRetryWaitMs: 10_000,
      maxEtags: 5_000,
      sleep: ms => new Promise(resolve => setTimeout(resolve, ms)),
      ...options,
    };
  }

  /**
   * GETs JSON. `credentialKey` names the credential the request is made with (ETags are only
   * valid for the token that got them), never the secret itself.
   */
  async getJson<T>(
    url: string,
    options: { headers?: Record<string, string>; credentialKey?: string } = {},
  ): Promise<T> {
    const key = `${options.credentialKey ?? ''} ${url}`;
    const known = this.etags.get(key);
    const response = await this.send(url, {
      method: 'GET',
      headers: {
        Accept: 'application/json',
        ...options.headers,
        ...(known ? { 'If-None-Match': known.etag } : {}),
      },
    });
    if (response.status === 304 && known) {
      this.stats.notModified += 1;
      return known.body as T;
    }
    let body: T;
    try {
      body = (await response.json()) as T;
    } catch (error) {
      const host = new URL(url).host;
      // The timeout also covers reading the body: a body that stalls is a timeout, not bad JSON.
      if ((error as Error).name === 'TimeoutError') {
        throw new CiUpstreamError(
          `${host} did not answer within ${this.options.timeoutMs} ms`,
          'timeout',
        );
      }
      throw new CiUpstreamError(
        `${host} answered with a body that is not JSON`,
        'unavailable',
        response.status,
      );
    }
    const etag = response.headers.get('etag');
    if (etag) this.remember(key, etag, body);
    return body;
  }

  /** POSTs (re-runs); the answer's body is not read. */
  async post(
    url: string,
    options: { headers?: Record<string, string>; body?: unknown } = {},
  ): Promise<void> {
    await this.send(url, {
      method: 'POST',
      headers: {
        ...options.headers,
        ...(options.body !== undefined
          ? { 'Content-Type': 'application/json' }
          : {}),
      },
      body:
        options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  }

  private remember(key: string, etag: string, body: unknown) {
    this.etags.delete(key);
    this.etags.set(key, { etag, body });
    // Maps iterate in insertion order: the first key is the least recently stored.
    if (this.etags.size > this.options.maxEtags) {
      this.etags.delete(this.etags.keys().next().value!);
    }
  }

  private async send(url: string, init: RequestInit): Promise<Response> {
    const host = new URL(url).host;
    let semaphore = this.hosts.get(host);
    if (!semaphore) {
      semaphore = new Semaphore(this.options.maxConcurrentPerHost);
      this.hosts.set(host, semaphore);
    }
    for (let attempt = 0; ; attempt++) {
      const response = await semaphore.run(() => this.attempt(url, host, init));
      if (response.ok || response.status === 304) return response;
      // The body of a refusal is not read: free the connection for the retry.
      await response.body?.cancel().catch(() => {});
      const retriesLeft = attempt < this.options.maxRetries;
      if (isRateLimited(response)) {
        const waitMs = rateLimitWait(response, Date.now()) ?? 1000;
        if (retriesLeft && waitMs <= this.options.maxRetryWaitMs) {
          this.stats.retries += 1;
          await this.options.sleep(waitMs);
          continue;
        }
        throw new CiUpstreamError(
          `${host} is rate-limited until ${new Date(
            Date.now() + waitMs,
          ).toISOString()}`,
          'rate-limited',
          response.status,
          new Date(Date.now() + waitMs),
        );
      }
      if (response.status >= 500) {
        if (retriesLeft) {
          this.stats.retries += 1;
          await this.options.sleep(200 * 2 ** attempt);
          continue;
        }
        throw new CiUpstreamError(
          `${host} answered ${response.status}`,
          'unavailable',
          response.status,
        );
      }
      throw new CiUpstreamError(
        `${host} answered ${response.status} for ${new URL(url).pathname}`,
        response.status === 404 ? 'not-found' : 'refused',
        response.status,
      );
    }
  }

  private async attempt(
    url: string,
    host: string,
    init: RequestInit,
  ): Promise<Response> {
    this.stats.requests += 1;
    try {
      return await fetch(url, {
        ...init,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (error) {
      if ((error as Error).name === 'TimeoutError') {
        throw new CiUpstreamError(
          `${host} did not answer within ${this.options.timeoutMs} ms`,
          'timeout',
        );
      }
      throw new CiUpstreamError(
        `${host} could not be reached (${networkErrorCode(error)})`,
        'unavailable',
      );
    }
  }
}
