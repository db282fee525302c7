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

  it('reads DORA metrics, leaving out what is not set', async () => {
    const { environments, urls } = client(() => json({ metrics: [] }));

    expect(
      await environments.getDoraMetrics({ entityRef: 'group:default/a b' }),
    ).toEqual({ metrics: [] });
    await environments.getDoraMetrics({
      entityRef: 'component:default/payments-api',
      environment: 'resource:default/prod-eu',
      from: '2026-11-01T00:00:00.000Z',
      to: '2026-11-02T00:00:00.000Z',
    });

    expect(urls).toEqual([
      'http://backend.test/api/environments/dora?entityRef=group%3Adefault%2Fa+b',
      'http://backend.test/api/environments/dora?entityRef=component%3Adefault%2Fpayments-api&environment=resource%3Adefault%2Fprod-eu&from=2026-11-01T00%3A00%3A00.000Z&to=2026-11-02T00%3A00%3A00.000Z',
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

describe('EnvironmentsClient administration calls', () => {
  it('sends blackout edits, admin booking actions and audit filters as the API expects', async () => {
    const requests: Array<[string, string, unknown]> = [];
    const environments = new EnvironmentsClient({
      discoveryApi: {
        getBaseUrl: async plugin => `http://backend.test/api/${plugin}`,
      },
      fetchApi: {
        fetch: async (input: any, init?: RequestInit) => {
          const url = String(input);
          requests.push([
            init?.method ?? 'GET',
            url,
            init?.body && JSON.parse(String(init.body)),
          ]);
          if (init?.method === 'DELETE')
            return new Response(null, { status: 204 });
          return url.includes('.csv')
            ? new Response('at,actor\r\n', {
                headers: { 'Content-Type': 'text/csv' },
              })
            : json(url.includes('/audit?') ? { items: [] } : { id: 'x' });
        },
      },
    });
    const blackout = {
      scope: 'environment' as const,
      scopeKey: 'resource:default/qa-1',
      kind: 'blackout' as const,
      title: 'Freeze',
      start: '2026-12-04T16:00:00.000Z',
      end: '2026-12-04T20:00:00.000Z',
      rrule: 'FREQ=WEEKLY;COUNT=3',
    };

    await environments.createBlackout(blackout);
    await environments.updateBlackout('x 1', blackout);
    await environments.deleteBlackout('x 1');
    await environments.forceReleaseBooking('b-1', 'Incident');
    await environments.reassignBooking('b-1', {
      teamRef: 'search-team',
      reason: 'Moved',
    });
    expect(
      await environments.listAuditEvents({
        actorRef: 'user:default/admin',
        action: '',
        limit: 50,
        offset: 100,
      }),
    ).toEqual([]);
    expect(
      await environments.getAuditCsv({
        environmentRef: 'resource:default/qa-1',
      }),
    ).toBe('at,actor\r\n');

    const base = 'http://backend.test/api/environments';
    expect(requests).toEqual([
      ['POST', `${base}/blackouts`, blackout],
      ['PUT', `${base}/blackouts/x%201`, blackout],
      ['DELETE', `${base}/blackouts/x%201`, undefined],
      ['POST', `${base}/bookings/b-1/force-release`, { reason: 'Incident' }],
      [
        'POST',
        `${base}/bookings/b-1/reassign`,
        { teamRef: 'search-team', reason: 'Moved' },
      ],
      [
        'GET',
        `${base}/audit?actorRef=user%3Adefault%2Fadmin&limit=50&offset=100`,
        undefined,
      ],
      [
        'GET',
        `${base}/audit.csv?environmentRef=resource%3Adefault%2Fqa-1`,
        undefined,
      ],
    ]);
  });
});

describe('EnvironmentsClient policy and environment state calls', () => {
  it('addresses each scope and environment by path, with the method and body the API expects', async () => {
    const sent: string[] = [];
    const environments = new EnvironmentsClient({
      discoveryApi: { getBaseUrl: async () => 'http://backend.test/api/env' },
      fetchApi: {
        fetch: async (input: any, init?: RequestInit) => {
          sent.push(`${init?.method} ${input} ${init?.body ?? ''}`.trim());
          return json({ items: [] });
        },
      },
    });
    const update = { policy: { maxDurationHours: 8 }, reason: 'Freeze' };

    await environments.listPolicyScopes();
    await environments.putPolicy({ scope: 'global', key: '' }, update);
    await environments.putPolicy({ scope: 'tier', key: 'pre prod' }, update);
    await environments.resetPolicy({
      scope: 'environment',
      key: 'resource:team-a/qa 1',
    });
    await environments.updateEnvironmentState('resource:default/qa-1', {
      capacity: null,
    });

    const body = JSON.stringify(update);
    expect(sent).toEqual([
      'GET http://backend.test/api/env/admin/policies',
      `PUT http://backend.test/api/env/admin/policies/global ${body}`,
      `PUT http://backend.test/api/env/admin/policies/tiers/pre%20prod ${body}`,
      'DELETE http://backend.test/api/env/admin/policies/environments/team-a/qa%201',
      'PATCH http://backend.test/api/env/admin/environments/default/qa-1 {"capacity":null}',
    ]);
  });
});
