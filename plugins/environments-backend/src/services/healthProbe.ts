/** What one GET of a health-check URL found. */
export interface ProbeOutcome {
  ok: boolean;
  httpStatus?: number;
  /** Time to the answer's status line; absent without an answer. */
  latencyMs?: number;
  reason?: string;
}

/** Connection errors by the code Node gives them, in words for the people who read them. */
const CONNECTION_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found (DNS lookup failed)',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
};

/**
 * GETs an environment's health-check URL, which comes from its catalog annotation (only http and
 * https are read from there), never from a request. A 2xx answer within `timeoutMs` is healthy.
 * Redirects are not followed: a health check that redirects is misconfigured, and following it
 * could lead anywhere.
 */
export async function probeHealthCheckUrl(
  url: string,
  timeoutMs: number,
): Promise<ProbeOutcome> {
  const started = performance.now();
  try {
    const response = await fetch(url, {
      method: 'GET',
      redirect: 'manual',
      headers: { accept: 'application/json, text/plain, */*' },
      signal: AbortSignal.timeout(timeoutMs),
    });
    const latencyMs = Math.round(performance.now() - started);
    // Only the status counts; the body is not waited for.
    await response.body?.cancel();
    const ok = response.status >= 200 && response.status < 300;
    return {
      ok,
      httpStatus: response.status,
      latencyMs,
      reason: ok ? undefined : `answered ${response.status}`,
    };
  } catch (error) {
    return { ok: false, reason: failureReason(error, timeoutMs) };
  }
}

function failureReason(error: unknown, timeoutMs: number): string {
  const { name, message, cause } = error as Error & {
    cause?: { code?: string; message?: string };
  };
  if (name === 'TimeoutError' || name === 'AbortError') {
    return `no answer within ${timeoutMs} ms`;
  }
  const code = cause?.code;
  if (code && CONNECTION_ERRORS[code]) return CONNECTION_ERRORS[code];
  return `request failed: ${cause?.message ?? message}`;
}
