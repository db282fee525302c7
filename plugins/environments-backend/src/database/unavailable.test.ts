import { ResponseError } from '@backstage/errors';
import { isDatabaseUnavailable, isDependencyUnavailable } from './unavailable';

const withCode = (code: string, message = 'failed') =>
  Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable', () => {
  it.each([
    ['a refused connection', withCode('ECONNREFUSED')],
    ['a reset connection', withCode('ECONNRESET')],
    ['PostgreSQL shutting down', withCode('57P01')],
    ['PostgreSQL starting up', withCode('57P03')],
    ['a PostgreSQL connection exception', withCode('08006')],
    ['PostgreSQL out of connections', withCode('53300')],
    ['a busy SQLite file', withCode('SQLITE_BUSY')],
    ['a dropped socket', new Error('Connection terminated unexpectedly')],
    [
      'no pooled connection in time',
      Object.assign(new Error('Knex: Timeout acquiring a connection'), {
        name: 'KnexTimeoutError',
      }),
    ],
  ])('is true for %s', (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a unique violation', withCode('23505')],
    ['a syntax error', withCode('42601')],
    ['a SQLite constraint', withCode('SQLITE_CONSTRAINT')],
    ['an error without a code', new Error('boom')],
    ['something not an error', 'ECONNREFUSED'],
  ])('is false for %s', (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});

describe('isDependencyUnavailable', () => {
  const responseError = (status: number) =>
    ResponseError.fromResponse(
      new Response(JSON.stringify({ error: { name: 'Error', message: 'x' } }), {
        status,
        headers: { 'content-type': 'application/json' },
      }) as any,
    );

  it('is true when the catalog answers a server error, false for its 4xx', async () => {
    expect(isDependencyUnavailable(await responseError(500))).toBe(true);
    expect(isDependencyUnavailable(await responseError(503))).toBe(true);
    expect(isDependencyUnavailable(await responseError(404))).toBe(false);
    expect(isDependencyUnavailable(withCode('ECONNREFUSED'))).toBe(true);
  });
});
