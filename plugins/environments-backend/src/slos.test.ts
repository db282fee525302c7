import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import prometheusModule from '@internal/plugin-environments-backend-module-prometheus';
import {
  incidentFixture,
  RunningPrometheus,
  startPrometheus,
} from '@internal/plugin-environments-backend-module-prometheus/testUtils';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { environmentsPlugin } from './plugin';

jest.setTimeout(120_000);

const MINUTES = 2 * 24 * 60;

const SLO = `apiVersion: openslo/v1
kind: SLO
metadata:
  name: availability
  displayName: Checkout availability
  annotations:
    tem.dev/environment-label: env
spec:
  indicator:
    spec:
      ratioMetric:
        bad: { metricSource: { type: prometheus, spec: { query: 'http_requests_total{job="checkout",code=~"5.."}' } } }
        total: { metricSource: { type: prometheus, spec: { query: 'http_requests_total{job="checkout"}' } } }
  timeWindow:
    - { duration: 30d, isRolling: true }
  budgetingMethod: Occurrences
  objectives:
    - { target: 0.999 }
`;

// What the auditor was told, to check the gate records every decision.
const audited: Array<{ eventId: string; meta?: unknown; outcome?: unknown }> =
  [];
const auditorFactory = createServiceFactory({
  service: coreServices.auditor,
  deps: {},
  factory: () => ({
    async createEvent(options: { eventId: string; meta?: unknown }) {
      const event: (typeof audited)[number] = {
        eventId: options.eventId,
        meta: options.meta,
      };
      audited.push(event);
      return {
        async success(outcome?: unknown) {
          event.outcome = outcome ?? 'success';
        },
        async fail(outcome: unknown) {
          event.outcome = outcome;
        },
      };
    },
  }),
});

describe('SLO API', () => {
  let prometheus: RunningPrometheus;
  let dir: string;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  const user = mockCredentials.user.header();
  const ci = mockCredentials.service.header();

  beforeAll(async () => {
    // Two days of traffic ending now: staging had an incident half an hour ago, qa never fails.
    const now = Math.floor(Date.now() / 60_000) * 60;
    [prometheus, dir] = await Promise.all([
      startPrometheus(
        incidentFixture({
          startSeconds: now - MINUTES * 60,
          minutes: MINUTES,
          environments: { incident: 'checkout-staging', quiet: 'checkout-qa' },
        }),
      ),
      fs.mkdtemp(path.join(os.tmpdir(), 'tem-slo-api-')),
    ]);
    await fs.writeFile(path.join(dir, 'availability.yaml'), SLO);

    const environment = (name: string): Entity => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: { name, namespace: 'default' },
      spec: { type: 'environment', owner: 'group:default/platform-team' },
      relations: [{ type: 'partOf', targetRef: 'system:default/checkout' }],
    });
    const entities: Entity[] = [
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: {
          name: 'checkout',
          namespace: 'default',
          annotations: {
            'backstage.io/managed-by-location': `file:${dir}/catalog-info.yaml`,
            'openslo.dev/slo-files': 'availability.yaml',
          },
        },
        spec: { type: 'service', owner: 'group:default/payments' },
        relations: [
          { type: 'ownedBy', targetRef: 'group:default/payments' },
          { type: 'partOf', targetRef: 'system:default/checkout' },
        ],
      },
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Group',
        metadata: { name: 'payments', namespace: 'default' },
        spec: { type: 'team', children: [] },
      },
      environment('checkout-staging'),
      environment('checkout-qa'),
    ];

    backend = await startTestBackend({
      features: [
        environmentsPlugin,
        prometheusModule,
        catalogServiceMock.factory({ entities }),
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        auditorFactory,
        mockServices.rootConfig.factory({
          data: { environments: { prometheus: { baseUrl: prometheus.url } } },
        }),
      ],
    });
  });
  afterAll(async () => {
    await backend?.stop();
    await prometheus?.stop();
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  const get = (url: string, token = user) =>
    request(backend.server)
      .get(`/api/environments${url}`)
      .set('Authorization', token);

  it("evaluates an entity's SLOs per environment from Prometheus", async () => {
    const res = await get(
      '/slos?entityRef=component:default/checkout&environment=checkout-staging',
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      entityRef: 'component:default/checkout',
      sloFiles: 'availability.yaml',
      sources: ['prometheus'],
      environments: expect.arrayContaining([
        expect.objectContaining({ name: 'checkout-staging' }),
        expect.objectContaining({ name: 'checkout-qa' }),
      ]),
      problems: [],
    });
    const [slo] = res.body.items;
    expect(slo).toMatchObject({
      name: 'availability',
      environment: 'checkout-staging',
      status: 'breached',
      source: { type: 'prometheus', status: 'ok', queries: 2 },
    });
    expect(slo.objectives[0].budgetRemaining).toBeLessThan(0);
    expect(slo.objectives[0].series.length).toBeGreaterThan(10);

    const qa = await get(
      '/slos?entityRef=component:default/checkout&environment=checkout-qa',
    );
    expect(qa.body.items[0].objectives[0]).toMatchObject({
      sli: 1,
      budgetRemaining: 1,
      status: 'healthy',
    });
    // Credentials never reach the browser.
    expect(JSON.stringify(res.body)).not.toContain(prometheus.url);
  });

  it('answers 400, 401 and 404 for bad requests', async () => {
    expect((await get('/slos')).status).toBe(400);
    expect(
      (await get('/slos?entityRef=component:default/checkout&env=x')).status,
    ).toBe(400);
    expect(
      (
        await request(backend.server).get(
          '/api/environments/slos?entityRef=component:default/checkout',
        )
      ).status,
    ).toBe(401);
    expect(
      (await get('/slos?entityRef=component:default/nowhere')).status,
    ).toBe(404);
    const wrongEnvironment = await get(
      '/slos?entityRef=component:default/checkout&environment=prod',
    );
    expect(wrongEnvironment.status).toBe(404);
    expect(wrongEnvironment.body.error.message).toMatch(
      /does not run in an environment named prod/,
    );
    expect(
      (await get('/slos/rollup?groupRef=group:default/nobody')).status,
    ).toBe(404);
  });

  it('gates pipelines: deny while the budget is spent, allow where it is not; audited', async () => {
    audited.length = 0;
    const denied = await get(
      '/slos/gate?entityRef=component:default/checkout&environment=checkout-staging',
      ci,
    );
    expect(denied.status).toBe(200);
    expect(denied.body.decision).toBe('deny');
    expect(denied.body.reasons[0]).toMatch(
      /^Checkout availability \(99.9%\): error budget exhausted/,
    );
    const allowed = await get(
      '/slos/gate?entityRef=component:default/checkout&environment=checkout-qa',
      ci,
    );
    expect(allowed.body).toMatchObject({
      decision: 'allow',
      reasons: ['every SLO has budget left and none burns fast'],
    });
    expect(audited).toEqual([
      {
        eventId: 'slo-gate',
        meta: {
          entityRef: 'component:default/checkout',
          environment: 'checkout-staging',
        },
        outcome: { meta: { decision: 'deny', reasons: denied.body.reasons } },
      },
      {
        eventId: 'slo-gate',
        meta: {
          entityRef: 'component:default/checkout',
          environment: 'checkout-qa',
        },
        outcome: { meta: { decision: 'allow', reasons: allowed.body.reasons } },
      },
    ]);
  });

  it("rolls up a group's SLOs", async () => {
    const res = await get('/slos/rollup?groupRef=group:default/payments');
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      expect.objectContaining({
        entityRef: 'component:default/checkout',
        slo: 'availability',
        objective: '99.9%',
      }),
    ]);
  });
});
