import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import githubModule from '@internal/plugin-environments-backend-module-github';
import { Knex } from 'knex';
import { http, HttpResponse, passthrough } from 'msw';
import { setupServer } from 'msw/node';
import request from 'supertest';
import {
  createTestDatabases,
  supportedDatabases,
  TEST_DATABASE_IDS,
} from './__testUtils__/databases';
import {
  as,
  startBookingBackend,
  testEnvironment,
  users,
} from './__testUtils__/bookingBackend';
import {
  StoredDeployment,
  upsertDeployments,
} from './database/deploymentsStore';
import { recordSloSnapshots } from './database/sloSnapshotsStore';

jest.setTimeout(60_000);

const PROD = 'resource:default/prod-eu';
const STAGING = 'resource:default/staging-eu';
const API = 'component:default/payments-api';
const WEB = 'component:default/checkout-web';

/** Hours after Monday 2026-11-02 00:00 UTC; the period measured is that week. */
const h = (hours: number) =>
  new Date(Date.parse('2026-11-02T00:00:00.000Z') + hours * 3600_000);
const WEEK = `from=${h(0).toISOString()}&to=${h(7 * 24).toISOString()}`;

function component(name: string, owner: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: { 'github.com/project-slug': `acme/${name}` },
    },
    spec: { type: 'service', owner, system: 'checkout' },
    relations: [
      { type: 'ownedBy', targetRef: owner },
      { type: 'partOf', targetRef: 'system:default/checkout' },
    ],
  };
}

function group(name: string, relations: Entity['relations']): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default' },
    spec: { type: 'team', children: [] },
    relations,
  };
}

const entities: Entity[] = [
  testEnvironment('prod-eu', { 'tem.dev/tier': 'prod' }),
  testEnvironment('staging-eu', { 'tem.dev/tier': 'staging' }),
  component('payments-api', 'group:default/payments-team'),
  component('checkout-web', 'group:default/engineering'),
  // Only to show that a request to CI would be seen (its pipelines view makes them).
  {
    ...component('control-app', 'group:default/platform-team'),
    relations: [{ type: 'ownedBy', targetRef: 'group:default/platform-team' }],
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'System',
    metadata: { name: 'checkout', namespace: 'default' },
    spec: { owner: 'group:default/engineering' },
  },
  group('engineering', [
    { type: 'parentOf', targetRef: 'group:default/payments-team' },
  ]),
  group('payments-team', [
    { type: 'childOf', targetRef: 'group:default/engineering' },
  ]),
];

let n = 0;
function deployment(
  entityRef: string,
  hours: number,
  version: string,
  committedHours: number | undefined,
  overrides: Partial<StoredDeployment> = {},
): StoredDeployment {
  n += 1;
  return {
    id: `d-${n}`,
    provider: 'github',
    externalId: String(n),
    entityRef,
    environmentName: 'production',
    environmentRef: PROD,
    version,
    status: 'succeeded',
    deployedAt: h(hours),
    committedAt: committedHours === undefined ? undefined : h(committedHours),
    syncedAt: h(hours),
    ...overrides,
  };
}

// Records every request that leaves the process (to GitHub or anywhere but the test's own
// requests to the backend) and fails it: the metrics must not cause one.
const upstreamRequests: string[] = [];
const server = setupServer(
  http.all('http://127.0.0.1:*/*', () => passthrough()),
  http.all('*', ({ request: req }) => {
    upstreamRequests.push(req.url);
    return HttpResponse.json({ message: 'unexpected' }, { status: 500 });
  }),
);
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterAll(() => server.close());
/** Requests to CI, but those of the control component (whose pipelines view does ask). */
const ciRequests = () =>
  upstreamRequests.filter(url => !url.includes('/control-app'));

describe('GET /dora', () => {
  const databases = createTestDatabases();
  it('runs on PostgreSQL 15 and SQLite', () => {
    expect(supportedDatabases(databases)).toEqual(TEST_DATABASE_IDS);
  });

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let knex: Knex;
    let backend: Awaited<ReturnType<typeof startBookingBackend>>['backend'];
    const get = (query: string) =>
      request(backend.server)
        .get(`/api/environments/dora?${query}`)
        .set('Authorization', as(users.alice));
    /** Each metric as [value, band, sample size], rounded to 4 places. */
    const metricsOf = (body: any) =>
      Object.fromEntries(
        body.metrics.map((m: any) => [
          m.key,
          [
            m.value === undefined ? undefined : Number(m.value.toFixed(4)),
            m.band,
            m.sampleSize,
          ],
        ]),
      );

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      ({ backend } = await startBookingBackend({
        knex,
        entities,
        // Tasks run only when triggered: no deployment sync reaches GitHub behind the test.
        scheduler: mockServices.scheduler(),
        features: [githubModule],
        config: {
          integrations: { github: [{ host: 'github.com', token: 'ghp_x' }] },
          environments: {
            dora: { changeFailure: { windowHours: 24 } },
          },
        },
      }));
      await upsertDeployments(knex, [
        // Before the week: the version rolled back to later.
        deployment(API, -48, 'v1', -50),
        deployment(API, 10, 'v2', 8), // lead 2 h; the next one failed within a day
        deployment(API, 20, 'v3', 19, { status: 'failed' }),
        deployment(API, 22, 'v1', -50), // rollback to v1: lead 72 h; restores after 2 h
        deployment(API, 100, 'v4', 96), // lead 4 h; an SLO burns fast an hour later
        deployment(API, 90, 'v4', 96, {
          environmentName: 'staging',
          environmentRef: STAGING,
        }),
        deployment(WEB, 50, 'w1', 49), // lead 1 h
        deployment(WEB, 60, 'w2', undefined, { status: 'running' }),
      ]);
      const slo = (hours: number, fastBurn: boolean) => ({
        entityRef: API,
        sloName: 'availability',
        objective: 'default',
        environmentRef: PROD,
        at: h(hours),
        budgetRemaining: 0.5,
        fastBurn,
        breached: false,
      });
      await recordSloSnapshots(knex, [
        slo(0, false),
        slo(101, true),
        slo(103, false),
      ]);
    });

    afterAll(async () => {
      await backend.stop();
      await knex.destroy();
    });

    it('measures a component in its production environments, from the stored data only', async () => {
      const res = await get(`entityRef=${API}&${WEEK}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        entityRef: API,
        kind: 'component',
        components: [API],
        from: h(0).toISOString(),
        to: h(7 * 24).toISOString(),
        environments: [{ entityRef: PROD, name: 'prod-eu' }],
        availableEnvironments: [
          { entityRef: PROD, tier: 'prod' },
          { entityRef: STAGING, tier: 'staging' },
        ],
        changeFailureDefinition:
          'A deployment counts as a failed change when, within 24 hour(s) after it, it or the next deployment to the environment failed; or a rollback (a later deployment of a version deployed there before); or an SLO of the component began burning its budget fast.',
        bandSource: 'DORA Accelerate State of DevOps Report 2023',
      });
      expect(metricsOf(res.body)).toEqual({
        // v2, v1 and v4: 3 in 7 days.
        deploymentFrequency: [0.4286, 'high', 3],
        // 2 h, 72 h, 4 h.
        leadTimeForChanges: [4, 'elite', 3],
        // v2 (followed by a failure), v3 (failed), v4 (fast burn) of v2, v3, v1, v4.
        changeFailureRate: [0.75, 'low', 4],
        // v3 failed at 20 h, fixed at 22 h; the burn from 101 h to 103 h.
        timeToRestore: [2, 'high', 2],
      });
      expect(ciRequests()).toEqual([]);
    });

    it('measures one environment when asked, by name or entity ref', async () => {
      for (const environment of ['staging-eu', STAGING]) {
        const res = await get(
          `entityRef=${API}&environment=${environment}&${WEEK}`,
        );
        expect(res.status).toBe(200);
        expect(res.body.environments).toEqual([
          { entityRef: STAGING, name: 'staging-eu' },
        ]);
        expect(metricsOf(res.body)).toEqual({
          deploymentFrequency: [0.1429, 'high', 1],
          // Its commit time is after it was deployed (clock skew): no lead time.
          leadTimeForChanges: [undefined, undefined, 0],
          changeFailureRate: [0, 'elite', 1],
          timeToRestore: [undefined, undefined, 0],
        });
      }
    });

    it('rolls a group up over its and its child groups’ components, and a system over its components', async () => {
      for (const entityRef of [
        'group:default/engineering',
        'system:default/checkout',
      ]) {
        const res = await get(`entityRef=${entityRef}&${WEEK}`);
        expect(res.status).toBe(200);
        expect([...res.body.components].sort()).toEqual([WEB, API]);
        // All deployments together, not an average of the components' figures.
        expect(metricsOf(res.body)).toEqual({
          deploymentFrequency: [0.5714, 'high', 4],
          leadTimeForChanges: [3, 'elite', 4],
          changeFailureRate: [0.6, 'low', 5],
          timeToRestore: [2, 'high', 2],
        });
      }
      const team = await get(`entityRef=group:default/payments-team&${WEEK}`);
      expect(team.body.components).toEqual([API]);
      expect(ciRequests()).toEqual([]);
    });

    it('sees requests to CI when a view does make them (the pipelines view)', async () => {
      const before = upstreamRequests.length;
      await request(backend.server)
        .get(
          '/api/environments/pipelines?entityRef=component:default/control-app',
        )
        .set('Authorization', as(users.alice));
      expect(upstreamRequests.length).toBeGreaterThan(before);
    });

    it('defaults to the last 30 days, and lets services read', async () => {
      const res = await request(backend.server)
        .get(`/api/environments/dora?entityRef=${API}`)
        .set('Authorization', mockCredentials.service.header());
      expect(res.status).toBe(200);
      expect(Date.parse(res.body.to) - Date.parse(res.body.from)).toBe(
        30 * 24 * 3600_000,
      );
    });

    it('answers bad input with 400, unknown entities and environments with 404, strangers with 401', async () => {
      const cases: Array<[string, number, RegExp]> = [
        [`entityRef=not%20a%20ref&${WEEK}`, 400, /entityRef/],
        [`entityRef=${PROD}&${WEEK}`, 400, /component, system or group/],
        [
          `entityRef=${API}&from=${h(10).toISOString()}&to=${h(
            0,
          ).toISOString()}`,
          400,
          /to must be after from/,
        ],
        [`entityRef=${API}&from=yesterday`, 400, /from/],
        [`entityRef=component:default/nothing&${WEEK}`, 404, /nothing/],
        [`entityRef=${API}&environment=moon&${WEEK}`, 404, /moon/],
      ];
      for (const [query, status, message] of cases) {
        const res = await get(query);
        expect([query, res.status]).toEqual([query, status]);
        expect(res.body.error.message).toMatch(message);
      }
      const anonymous = await request(backend.server).get(
        `/api/environments/dora?entityRef=${API}`,
      );
      expect(anonymous.status).toBe(401);
    });
  });
});
