import { ResponseError } from '@backstage/errors';

const SOCKET_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
]);

const POSTGRES_UNAVAILABLE = new Set(['57P01', '57P02', '57P03']);

/**
 * Whether `error` says a backend service this plugin depends on failed (the catalog, say, whose
 * own database is away): the request cannot be answered now, and may be tried again later.
 */
export function isDependencyUnavailable(error: unknown): boolean {
  return (
    isDatabaseUnavailable(error) ||
    (error instanceof ResponseError && error.statusCode >= 500)
  );
}

/**
 * Whether `error` says the database cannot be reached right now (down, restarting, connections
 * cut or exhausted), as opposed to a fault in a query. Such requests answer 503: the client may
 * try again, and the pool reconnects on its own once the database is back.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { code } = error as { code?: unknown };
  if (typeof code === 'string') {
    // Node's socket errors, as the PostgreSQL driver passes them on.
    if (SOCKET_ERRORS.has(code)) return true;
    // PostgreSQL: class 08 is "connection exception", class 53 "insufficient resources" (too
    // many connections, say); 57P01–57P03 are shutdown and start-up.
    if (
      code.startsWith('08') ||
      code.startsWith('53') ||
      POSTGRES_UNAVAILABLE.has(code)
    ) {
      return true;
    }
    // SQLite: another process holds the database file past the busy timeout.
    if (code === 'SQLITE_BUSY') return true;
  }
  // Knex gave up waiting for a pooled connection; the driver's own message for a dropped socket.
  return (
    error.name === 'KnexTimeoutError' ||
    /^Connection terminated/.test(error.message)
  );
}
