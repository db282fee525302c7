import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { createBackendModule } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { environmentsCiProvidersExtensionPoint } from '@internal/plugin-environments-node';
import request from 'supertest';
import { environmentsPlugin } from './plugin';

const entities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'payments-api', namespace: 'default' },
    spec: {
      type: 'service',
      owner: 'group:default/payments',
      system: 'checkout',
    },
    relations: [
      { type: 'partOf', targetRef: 'system:default/checkout' },
      { type: 'dependsOn', targetRef: 'resource:default/perf-lab' },
    ],
  },
  ...[
    ['checkout-qa', 'test', 'system:default/checkout'],
    ['perf-lab', 'perf', undefined],
    ['search-qa', 'test', 'system:default/discovery'],
  ].map(
    ([name, tier, system]): Entity => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name: name!,
        namespace: 'default',
        annotations: { 'tem.dev/tier': tier! },
      },
      spec: { type: 'environment', owner: 'group:default/platform-team' },
      relations: [
        { type: 'ownedBy', targetRef: 'group:default/platform-team' },
        ...(system ? [{ type: 'partOf', targetRef: system }] : []),
      ],
    }),
  ),
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name: 'orders-db', namespace: 'default' },
    spec: { type: 'database', owner: 'group:default/payments' },
  },
];

const fakeCiModule = createBackendModule({
  pluginId: 'environments',
  moduleId: 'fake-ci',
  register(env) {
    env.registerInit({
      deps: { ciProviders: environmentsCiProvidersExtensionPoint },
      async init({ ciProviders }) {
        ciProviders.addProvider({
          id: 'fake-ci',
          appliesTo: () => false,
          getDefaultBranch: async () => 'main',
          listRuns: async () => ({ items: [] }),
          getRun: async () => {
            throw new Error('no runs');
          },
          listDeployments: async () => ({ items: [] }),
        });
      },
    });
  },
});

describe('environments backend plugin', () => {
  let server: Awaited<ReturnType<typeof startTestBackend>>;
  const userAuth = mockCredentials.user.header();

  beforeAll(async () => {
    server = await startTestBackend({
      features: [
        environmentsPlugin,
        fakeCiModule,
        catalogServiceMock.factory({ entities }),
        mockServices.rootConfig.factory({ data: {} }),
        // Requests without a token are anonymous, as in a real backend.
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
      ],
    });
  });
  afterAll(async () => {
    await server.stop();
  });

  it('answers health without authentication and names the installed CI providers', async () => {
    const res = await request(server.server).get('/api/environments/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', ciProviders: ['fake-ci'] });
  });

  it('refuses unauthenticated reads with 401', async () => {
    const res = await request(server.server).get(
      '/api/environments/environments',
    );
    expect(res.status).toBe(401);
  });

  it('lists every environment of the catalog, ordered by tier, with its state', async () => {
    const res = await request(server.server)
      .get('/api/environments/environments')
      .set('Authorization', userAuth);
    expect(res.status).toBe(200);
    expect(
      res.body.items.map((e: { entityRef: string }) => e.entityRef),
    ).toEqual([
      'resource:default/checkout-qa',
      'resource:default/search-qa',
      'resource:default/perf-lab',
    ]);
    expect(res.body.items[0]).toMatchObject({
      name: 'checkout-qa',
      tier: 'test',
      ownerRef: 'group:default/platform-team',
      systemRef: 'system:default/checkout',
      bookable: true,
      capacity: 1,
      status: 'available',
    });
  });

  it('lists the environments a component runs in', async () => {
    const res = await request(server.server)
      .get('/api/environments/environments')
      .query({ entityRef: 'component:default/payments-api' })
      .set('Authorization', userAuth);
    expect(res.status).toBe(200);
    expect(res.body.items.map((e: { name: string }) => e.name)).toEqual([
      'checkout-qa',
      'perf-lab',
    ]);
  });

  it('answers 404 for an unknown entity and 400 for a malformed ref', async () => {
    const missing = await request(server.server)
      .get('/api/environments/environments')
      .query({ entityRef: 'component:default/nope' })
      .set('Authorization', userAuth);
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toContain('component:default/nope');

    for (const entityRef of ['payments-api', ['a:b/c', 'd:e/f']]) {
      const bad = await request(server.server)
        .get('/api/environments/environments')
        .query({ entityRef })
        .set('Authorization', userAuth);
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(/entityRef/);
    }
  });

  it('returns one environment, and 404 for resources that are not environments', async () => {
    const found = await request(server.server)
      .get('/api/environments/environments/default/perf-lab')
      .set('Authorization', userAuth);
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({
      entityRef: 'resource:default/perf-lab',
      tier: 'perf',
    });

    for (const path of ['default/orders-db', 'default/nothing']) {
      const res = await request(server.server)
        .get(`/api/environments/environments/${path}`)
        .set('Authorization', userAuth);
      expect(res.status).toBe(404);
    }
  });
});
