/**
 * @jest-environment node
 */
import { EnvironmentsClient } from './EnvironmentsClient';

function client(respond: (url: string) => Response) {
  const urls: string[] = [];
  const environments = new EnvironmentsClient({
    discoveryApi: {
      getBaseUrl: async plugin => `http://backend.test/api/${plugin}`,
    },
    fetchApi: {
      fetch: async (input: any) => {
        urls.push(String(input));
        return respond(String(input));
      },
    },
  });
  return { environments, urls };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });

describe('EnvironmentsClient', () => {
  it('reads usage as JSON and as CSV text, leaving out what is not set, and keeps a booking', async () => {
    const { environments, urls } = client(url =>
      url.includes('.csv')
        ? new Response('scope,key\r\n', {
            headers: { 'Content-Type': 'text/csv' },
          })
        : json({ from: 'x' }),
    );
    const period = {
      from: '2026-11-01T00:00:00.000Z',
      to: '2026-11-02T00:00:00.000Z',
    };

    expect(await environments.getUsage({ ...period, tier: 'test' })).toEqual({
      from: 'x',
    });
    expect(await environments.getUsageCsv(period)).toBe('scope,key\r\n');
    await environments.keepBooking('b 1');

    expect(urls).toEqual([
      'http://backend.test/api/environments/analytics/usage?from=2026-11-01T00%3A00%3A00.000Z&to=2026-11-02T00%3A00%3A00.000Z&tier=test',
      'http://backend.test/api/environments/analytics/usage.csv?from=2026-11-01T00%3A00%3A00.000Z&to=2026-11-02T00%3A00%3A00.000Z',
      'http://backend.test/api/environments/bookings/b%201/keep',
    ]);
  });

  it('reads the environment list, optionally for one entity', async () => {
    const { environments, urls } = client(() =>
      json({ items: [{ name: 'qa-1' }] }),
    );

    expect(await environments.listEnvironments()).toEqual([{ name: 'qa-1' }]);
    await environments.listEnvironments({
      entityRef: 'component:default/payments-api',
    });

    expect(urls).toEqual([
      'http://backend.test/api/environments/environments',
      'http://backend.test/api/environments/environments?entityRef=component%3Adefault%2Fpayments-api',
    ]);
  });

  it("reads a team's overview as JSON and its calendar as text", async () => {
    const { environments, urls } = client(url =>
      url.endsWith('.ics')
        ? new Response('BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n', {
            headers: { 'Content-Type': 'text/calendar; charset=utf-8' },
          })
        : json({ groupRef: 'group:default/payments-team' }),
    );
    const team = { namespace: 'default', name: 'payments team' };

    expect(await environments.getTeamOverview(team)).toEqual({
      groupRef: 'group:default/payments-team',
    });
    expect(await environments.getTeamCalendar(team)).toBe(
      'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n',
    );
    expect(urls).toEqual([
      'http://backend.test/api/environments/teams/default/payments%20team/overview',
      'http://backend.test/api/environments/teams/default/payments%20team/bookings.ics',
    ]);
  });

  it('turns error responses into errors carrying the backend message', async () => {
    const { environments } = client(() =>
      json(
        {
          error: { name: 'NotFoundError', message: 'No entity x' },
          response: { statusCode: 404 },
        },
        404,
      ),
    );
    await expect(
      environments.listEnvironments({ entityRef: 'component:default/x' }),
    ).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 404,
      cause: { name: 'NotFoundError', message: 'No entity x' },
    });
  });
});
