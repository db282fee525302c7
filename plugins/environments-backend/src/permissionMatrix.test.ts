import {
  BackstageCredentials,
  coreServices,
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { notificationService } from '@backstage/plugin-notifications-node';
import {
  AuthorizeResult,
  BasicPermission,
} from '@backstage/plugin-permission-common';
import {
  blackoutManagePermission,
  blackoutOverridePermission,
  bookingAdminPermission,
} from '@internal/plugin-environments-common';
import { environmentsCiProvidersExtensionPoint } from '@internal/plugin-environments-node';
import fs from 'node:fs';
import path from 'node:path';
import { Knex } from 'knex';
import request from 'supertest';
import YAML from 'yaml';
import {
  createTestDatabases,
  supportedDatabases,
  TEST_DATABASE_IDS,
} from './__testUtils__/databases';
import { environmentsPlugin } from './plugin';
import { createRouter } from './router';

jest.setTimeout(180_000);

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();

const ROLES = [
  'anonymous',
  'otherUser',
  'requester',
  'teamMember',
  'environmentOwner',
  'admin',
  'service',
] as const;
type Role = (typeof ROLES)[number];

const PAYMENTS_TEAM = 'group:default/payments-team';
const ENVIRONMENT_OWNERS = 'group:default/env-owners';
const PLATFORM_TEAM = 'group:default/platform-team';

/** The user each role acts as; "requester" makes the fixtures' bookings for PAYMENTS_TEAM. */
const USERS = {
  otherUser: 'user:default/bob',
  requester: 'user:default/alice',
  teamMember: 'user:default/carol',
  environmentOwner: 'user:default/olga',
  admin: 'user:default/dave',
} as const;
/** Books slots for others to wait for; plays no role. */
const HOLDER = 'user:default/erin';

const MEMBERSHIPS: Record<string, string[]> = {
  [USERS.otherUser]: ['group:default/search-team'],
  [USERS.requester]: [PAYMENTS_TEAM],
  [USERS.teamMember]: [PAYMENTS_TEAM],
  [USERS.environmentOwner]: [ENVIRONMENT_OWNERS],
  [USERS.admin]: [PLATFORM_TEAM],
};

function authorization(role: Role): string | undefined {
  if (role === 'anonymous') return undefined;
  if (role === 'service') return mockCredentials.service.header();
  return mockCredentials.user.header(USERS[role]);
}

// Ownership as the catalog resolves it: the user and the groups they belong to.
const userInfoFactory = createServiceFactory({
  service: coreServices.userInfo,
  deps: {},
  factory: () => ({
    async getUserInfo(credentials: BackstageCredentials) {
      const principal = credentials.principal as { userEntityRef: string };
      return {
        userEntityRef: principal.userEntityRef,
        ownershipEntityRefs: [
          principal.userEntityRef,
          ...(MEMBERSHIPS[principal.userEntityRef] ?? []),
        ],
      };
    },
  }),
});

/**
 * The demo portal's policy (packages/backend/src/permissions/DemoPermissionPolicy.ts), applied
 * the way the permission framework applies it: every permission is allowed except the platform
 * ones, which need a user in the platform team; a service principal reaches the policy without
 * a user and is denied them. It is mirrored rather than imported because a plugin cannot depend
 * on the app that installs it (the app depends on the plugin, and lint forbids relative imports
 * across packages). DemoPermissionPolicy.test.ts pins the class to these rules, permission by
 * permission.
 */
const PLATFORM_PERMISSIONS = [
  bookingAdminPermission.name,
  blackoutManagePermission.name,
  blackoutOverridePermission.name,
];
const demoPolicyFactory = createServiceFactory({
  service: coreServices.permissions,
  deps: { userInfo: coreServices.userInfo },
  factory: ({ userInfo }) => {
    const decide = async (
      permission: BasicPermission,
      credentials: BackstageCredentials,
    ) => {
      if (!PLATFORM_PERMISSIONS.includes(permission.name)) {
        return AuthorizeResult.ALLOW;
      }
      if ((credentials.principal as { type: string }).type !== 'user') {
        return AuthorizeResult.DENY;
      }
      const { ownershipEntityRefs } = await userInfo.getUserInfo(credentials);
      return ownershipEntityRefs.includes(PLATFORM_TEAM)
        ? AuthorizeResult.ALLOW
        : AuthorizeResult.DENY;
    };
    return {
      async authorize(requests: any[], options: any) {
        return Promise.all(
          requests.map(async r => ({
            result: await decide(r.permission, options.credentials),
          })),
        );
      },
      async authorizeConditional(requests: any[]) {
        return requests.map(() => ({ result: AuthorizeResult.DENY }));
      },
    };
  },
});

const notificationsFactory = createServiceFactory({
  service: notificationService,
  deps: {},
  factory: () => ({ async send() {} }),
});

// A CI provider with one run of the matrix component, so the pipeline routes answer 200.
const fakeCiModule = createBackendModule({
  pluginId: 'environments',
  moduleId: 'matrix-ci',
  register(env) {
    env.registerInit({
      deps: { ciProviders: environmentsCiProvidersExtensionPoint },
      async init({ ciProviders }) {
        const run = {
          provider: 'matrix-ci',
          id: '7',
          name: 'CI',
          branch: 'main',
          status: 'succeeded' as const,
        };
        ciProviders.addProvider({
          id: 'matrix-ci',
          appliesTo: entity => entity.metadata.name === 'matrix-app',
          getDefaultBranch: async () => 'main',
          listRuns: async () => ({ items: [run] }),
          getRun: async () => ({ ...run, jobs: [] }),
          listDeployments: async () => ({ items: [] }),
          rerun: async () => {},
        });
      },
    });
  },
});

function environment(name: string, tier: string, capacity: number): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        'tem.dev/tier': tier,
        'tem.dev/capacity': String(capacity),
      },
    },
    spec: { type: 'environment', owner: ENVIRONMENT_OWNERS, system: 'matrix' },
    relations: [
      { type: 'ownedBy', targetRef: ENVIRONMENT_OWNERS },
      { type: 'partOf', targetRef: 'system:default/matrix' },
    ],
  };
}

const group = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default' },
  spec: { type: 'team', children: [] },
});

const entities: Entity[] = [
  // Many bookings at once, so that every cell can hold its own.
  environment('matrix-env', 'test', 1000),
  // Bookings here wait for an owner's approval (see the config below).
  environment('approval-env', 'approval', 1000),
  // One at a time, so that there is a taken slot to wait for.
  environment('waitlist-env', 'test', 1),
  environment('blackout-env', 'test', 1),
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'matrix-app', namespace: 'default' },
    spec: { type: 'service', owner: PAYMENTS_TEAM, system: 'matrix' },
    relations: [
      { type: 'ownedBy', targetRef: PAYMENTS_TEAM },
      { type: 'partOf', targetRef: 'system:default/matrix' },
    ],
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'System',
    metadata: { name: 'matrix', namespace: 'default' },
    spec: { owner: PAYMENTS_TEAM },
  },
  group('payments-team'),
  group('search-team'),
  group('env-owners'),
  group('platform-team'),
];

/** Statuses by role: anonymous 401, the given roles as given, everyone else `refused`. */
function statuses(
  allowed: Partial<Record<Role, number>>,
  refused = 403,
): Record<Role, number> {
  return Object.fromEntries(
    ROLES.map(role => [
      role,
      role === 'anonymous' ? 401 : allowed[role] ?? refused,
    ]),
  ) as Record<Role, number>;
}

/** Every authenticated caller, services included, may read. */
const READ = statuses({}, 200);
/** Every user may; a service has no user to act as. */
const ANY_USER = (status: number) =>
  statuses({
    otherUser: status,
    requester: status,
    teamMember: status,
    environmentOwner: status,
    admin: status,
  });

interface Cell {
  url: string;
  body?: object;
}

interface Route {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** As in openapi.yaml. */
  path: string;
  /** The request of one cell; writes make a fresh fixture here so that cells are independent. */
  cell: (api: Fixtures) => Promise<Cell> | Cell;
  expected: Record<Role, number>;
}

/** Makes the fixtures of the cells through the API, as the users involved. */
interface Fixtures {
  /** A booking of the environment called `name` by the requester for PAYMENTS_TEAM. */
  booking(name: string, when?: 'now' | 'later'): Promise<string>;
  /** A free slot one hour long, different on every call. */
  slot(): { start: string; end: string };
  /** The requester's place on the waitlist for a taken slot. */
  waitingEntry(): Promise<string>;
  /** The requester's place on the waitlist, offered the slot its holder gave up. */
  offeredEntry(): Promise<string>;
  blackout(): Promise<string>;
  /** Stores an empty policy at `url` (an /admin/policies/... path) as the admin. */
  storedPolicy(url: string): Promise<void>;
  /** The booking every read route is asked about. */
  readBookingId: string;
}

const ENTITY_REF = 'component:default/matrix-app';

// Held by the requester from the start, so that everyone can wait for it; far after the slots
// the cells book.
const TAKEN_START = Date.now() + 100 * DAY;
const TAKEN_SLOT_REQUEST = {
  environmentRef: 'resource:default/waitlist-env',
  title: 'Waiting',
  purpose: 'testing',
  start: iso(TAKEN_START),
  end: iso(TAKEN_START + HOUR),
};

let blackouts = 0;
/** A blackout of its own far ahead on blackout-env, where no cell books. */
function blackoutRequest() {
  const start = Date.now() + 200 * DAY + blackouts++ * DAY;
  return {
    scope: 'environment',
    scopeKey: 'resource:default/blackout-env',
    title: 'Matrix freeze',
    start: iso(start),
    end: iso(start + HOUR),
  };
}

const ROUTES: Route[] = [
  {
    method: 'get',
    path: '/health',
    cell: () => ({ url: '/health' }),
    // The only route without authentication: load balancers probe it.
    expected: Object.fromEntries(ROLES.map(role => [role, 200])) as Record<
      Role,
      number
    >,
  },
  {
    method: 'get',
    path: '/environments',
    cell: () => ({ url: `/environments?entityRef=${ENTITY_REF}` }),
    expected: READ,
  },
  {
    method: 'get',
    path: '/environments/{namespace}/{name}',
    cell: () => ({ url: '/environments/default/matrix-env' }),
    expected: READ,
  },
  {
    method: 'get',
    path: '/environments/{namespace}/{name}/check',
    cell: () => ({
      url: `/environments/default/matrix-env/check?team=${PAYMENTS_TEAM}`,
    }),
    expected: READ,
  },
  {
    method: 'get',
    path: '/environments/{namespace}/{name}/bookings.ics',
    cell: () => ({ url: '/environments/default/matrix-env/bookings.ics' }),
    expected: READ,
  },
  {
    method: 'get',
    path: '/teams/{namespace}/{name}/bookings.ics',
    cell: () => ({ url: '/teams/default/payments-team/bookings.ics' }),
    expected: READ,
  },
  {
    method: 'get',
    path: '/teams/{namespace}/{name}/overview',
    cell: () => ({ url: '/teams/default/payments-team/overview' }),
    expected: READ,
  },
  {
    method: 'get',
    path: '/availability',
    cell: () => ({ url: '/availability?tier=test&durationHours=1' }),
    expected: READ,
  },
  {
    method: 'get',
    path: '/bookings',
    cell: () => ({ url: `/bookings?teamRef=${PAYMENTS_TEAM}` }),
    expected: READ,
  },
  {
    method: 'post',
    path: '/bookings',
    cell: api => ({
      url: '/bookings',
      body: {
        environmentRef: 'resource:default/matrix-env',
        title: 'Matrix',
        purpose: 'testing',
        ...api.slot(),
      },
    }),
    expected: ANY_USER(201),
  },
  {
    method: 'post',
    path: '/booking-series',
    cell: api => ({
      url: '/booking-series',
      body: {
        environmentRef: 'resource:default/matrix-env',
        title: 'Matrix series',
        purpose: 'testing',
        ...api.slot(),
        rrule: 'FREQ=DAILY;COUNT=2',
      },
    }),
    expected: ANY_USER(201),
  },
  {
    method: 'get',
    path: '/bookings/{id}',
    cell: api => ({ url: `/bookings/${api.readBookingId}` }),
    expected: READ,
  },
  {
    method: 'post',
    path: '/bookings/{id}/extend',
    cell: async api => ({
      url: `/bookings/${await api.booking('matrix-env')}/extend`,
      body: { end: iso(Date.now() + 30 * DAY) },
    }),
    // The requester and their team hold the booking; others need the admin permission.
    expected: statuses({ requester: 200, teamMember: 200, admin: 200 }),
  },
  ...(['approve', 'reject'] as const).map(
    (decision): Route => ({
      method: 'post',
      path: `/bookings/{id}/${decision}`,
      cell: async api => ({
        url: `/bookings/${await api.booking('approval-env')}/${decision}`,
        body: {},
      }),
      // The environment's owners decide; others need the admin permission.
      expected: statuses({ environmentOwner: 200, admin: 200 }),
    }),
  ),
  {
    method: 'post',
    path: '/bookings/{id}/release',
    cell: async api => ({
      url: `/bookings/${await api.booking('matrix-env', 'now')}/release`,
    }),
    expected: statuses({ requester: 200, teamMember: 200, admin: 200 }),
  },
  {
    method: 'post',
    path: '/bookings/{id}/cancel',
    cell: async api => ({
      url: `/bookings/${await api.booking('matrix-env')}/cancel`,
    }),
    expected: statuses({ requester: 200, teamMember: 200, admin: 200 }),
  },
  {
    method: 'post',
    path: '/bookings/{id}/keep',
    cell: async api => ({
      url: `/bookings/${await api.booking('matrix-env', 'now')}/keep`,
    }),
    // Only the holders answer an idle offer; an admin has no say in whether they still need it.
    expected: statuses({ requester: 200, teamMember: 200 }),
  },
  {
    method: 'get',
    path: '/analytics/usage',
    cell: () => ({ url: '/analytics/usage?tier=test' }),
    expected: READ,
  },
  {
    method: 'get',
    path: '/analytics/usage.csv',
    cell: () => ({
      url: '/analytics/usage.csv?environmentRef=resource:default/matrix-env',
    }),
    expected: READ,
  },
  {
    method: 'get',
    path: '/waitlist',
    cell: () => ({
      url: '/waitlist?environmentRef=resource:default/waitlist-env',
    }),
    expected: READ,
  },
  {
    method: 'post',
    path: '/waitlist',
    cell: () => ({ url: '/waitlist', body: TAKEN_SLOT_REQUEST }),
    expected: ANY_USER(201),
  },
  {
    method: 'post',
    path: '/waitlist/{id}/leave',
    cell: async api => ({
      url: `/waitlist/${await api.waitingEntry()}/leave`,
    }),
    // A place on the waitlist is personal: not even an admin gives it up for someone.
    expected: statuses({ requester: 204 }),
  },
  {
    method: 'post',
    path: '/waitlist/{id}/claim',
    cell: async api => ({
      url: `/waitlist/${await api.offeredEntry()}/claim`,
    }),
    expected: statuses({ requester: 201 }),
  },
  {
    method: 'get',
    path: '/audit',
    cell: () => ({ url: '/audit' }),
    expected: statuses({ admin: 200 }),
  },
  {
    method: 'get',
    path: '/audit.csv',
    cell: () => ({ url: '/audit.csv?action=blackout-create' }),
    expected: statuses({ admin: 200 }),
  },
  // Admin actions on bookings need the admin permission, even for the booking's holders.
  {
    method: 'post',
    path: '/bookings/{id}/force-release',
    cell: async api => ({
      url: `/bookings/${await api.booking('matrix-env', 'now')}/force-release`,
      body: { reason: 'Matrix' },
    }),
    expected: statuses({ admin: 200 }),
  },
  {
    method: 'post',
    path: '/bookings/{id}/reassign',
    cell: async api => ({
      url: `/bookings/${await api.booking('matrix-env')}/reassign`,
      body: { teamRef: 'group:default/search-team', reason: 'Matrix' },
    }),
    expected: statuses({ admin: 200 }),
  },
  {
    method: 'get',
    path: '/blackouts',
    cell: () => ({ url: '/blackouts?tier=test' }),
    expected: READ,
  },
  {
    method: 'post',
    path: '/blackouts',
    cell: () => ({ url: '/blackouts', body: blackoutRequest() }),
    expected: statuses({ admin: 201 }),
  },
  {
    method: 'put',
    path: '/blackouts/{id}',
    cell: async api => ({
      url: `/blackouts/${await api.blackout()}`,
      body: blackoutRequest(),
    }),
    expected: statuses({ admin: 200 }),
  },
  {
    method: 'delete',
    path: '/blackouts/{id}',
    cell: async api => ({ url: `/blackouts/${await api.blackout()}` }),
    expected: statuses({ admin: 204 }),
  },
  // Empty policies: allowed to the admin, and changing no limit the other cells book under.
  ...[
    ['global', '/admin/policies/global'],
    ['tiers/{tier}', '/admin/policies/tiers/test'],
    [
      'environments/{namespace}/{name}',
      '/admin/policies/environments/default/matrix-env',
    ],
  ].flatMap(([pattern, url]): Route[] => [
    {
      method: 'put',
      path: `/admin/policies/${pattern}`,
      cell: () => ({ url, body: { policy: {}, reason: 'Matrix' } }),
      expected: statuses({ admin: 200 }),
    },
    {
      method: 'delete',
      path: `/admin/policies/${pattern}`,
      cell: async api => {
        await api.storedPolicy(url);
        return { url };
      },
      expected: statuses({ admin: 200 }),
    },
  ]),
  {
    method: 'get',
    path: '/admin/policies',
    cell: () => ({ url: '/admin/policies' }),
    expected: statuses({ admin: 200 }),
  },
  {
    method: 'patch',
    path: '/admin/environments/{namespace}/{name}',
    // Available as it was: every other cell can still book it.
    cell: () => ({
      url: '/admin/environments/default/matrix-env',
      body: { status: 'available', reason: 'Matrix' },
    }),
    expected: statuses({ admin: 200 }),
  },
  {
    method: 'get',
    path: '/slos',
    cell: () => ({ url: `/slos?entityRef=${ENTITY_REF}` }),
    expected: READ,
  },
  {
    method: 'get',
    path: '/slos/gate',
    cell: () => ({ url: `/slos/gate?entityRef=${ENTITY_REF}` }),
    expected: READ,
  },
  {
    method: 'get',
    path: '/slos/rollup',
    cell: () => ({ url: `/slos/rollup?groupRef=${PAYMENTS_TEAM}` }),
    expected: READ,
  },
  {
    method: 'get',
    path: '/pipelines',
    cell: () => ({ url: `/pipelines?entityRef=${ENTITY_REF}` }),
    expected: READ,
  },
  {
    method: 'get',
    path: '/pipelines/runs',
    cell: () => ({
      url: `/pipelines/runs?entityRef=${ENTITY_REF}&provider=matrix-ci`,
    }),
    expected: READ,
  },
  {
    method: 'get',
    path: '/pipelines/runs/{provider}/{runId}',
    cell: () => ({
      url: `/pipelines/runs/matrix-ci/7?entityRef=${ENTITY_REF}`,
    }),
    expected: READ,
  },
  {
    method: 'post',
    path: '/pipelines/runs/{provider}/{runId}/rerun',
    cell: () => ({
      url: '/pipelines/runs/matrix-ci/7/rerun',
      body: { entityRef: ENTITY_REF },
    }),
    // The demo policy grants environments.pipeline.rerun to every user.
    expected: ANY_USER(202),
  },
  {
    method: 'get',
    path: '/deployments',
    cell: () => ({ url: `/deployments?entityRef=${ENTITY_REF}` }),
    expected: READ,
  },
  {
    method: 'get',
    path: '/deployments/map',
    cell: () => ({ url: '/deployments/map?systemRef=system:default/matrix' }),
    expected: READ,
  },
  {
    method: 'get',
    path: '/dora',
    cell: () => ({ url: `/dora?entityRef=${ENTITY_REF}` }),
    expected: READ,
  },
];

const routeKey = (method: string, routePath: string) =>
  `${method.toUpperCase()} ${routePath}`;

describe('permission matrix', () => {
  it('lists every route of the API spec and of the router', () => {
    const spec = YAML.parse(
      fs.readFileSync(path.join(__dirname, 'schema', 'openapi.yaml'), 'utf8'),
    ) as { paths: Record<string, Record<string, unknown>> };
    const inSpec = Object.entries(spec.paths).flatMap(([routePath, item]) =>
      Object.keys(item)
        .filter(key => ['get', 'post', 'put', 'patch', 'delete'].includes(key))
        .map(method => routeKey(method, routePath)),
    );
    // The router's own routes, read from express's stack; its handlers never run here.
    const router = createRouter({ ciProviderIds: () => [] } as any);
    const inRouter = (router as any).stack
      .filter((layer: any) => layer.route)
      .flatMap((layer: any) =>
        Object.keys(layer.route.methods).map(method =>
          routeKey(method, layer.route.path.replace(/:(\w+)/g, '{$1}')),
        ),
      );
    const inMatrix = ROUTES.map(r => routeKey(r.method, r.path));

    expect(new Set(inMatrix).size).toBe(inMatrix.length);
    expect([...inMatrix].sort()).toEqual([...inSpec].sort());
    expect([...inMatrix].sort()).toEqual([...inRouter].sort());
  });

  const databases = createTestDatabases();

  it('runs on PostgreSQL 15 and SQLite', () => {
    expect(supportedDatabases(databases)).toEqual(TEST_DATABASE_IDS);
  });

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let knex: Knex;
    let backend: Awaited<ReturnType<typeof startTestBackend>>;
    let fixtures: Fixtures;

    const call = (
      role: Role | typeof HOLDER,
      method: Route['method'],
      url: string,
      body?: object,
    ) => {
      const header =
        role === HOLDER
          ? mockCredentials.user.header(HOLDER)
          : authorization(role);
      const req = request(backend.server)[method](`/api/environments${url}`);
      if (header) req.set('Authorization', header);
      return body ? req.send(body) : req;
    };

    /** A created thing's id, failing the test with the answer when creating it failed. */
    const created = async (
      response: request.Response | Promise<request.Response>,
    ): Promise<string> => {
      const res = await response;
      if (res.status !== 201) {
        throw new Error(
          `fixture refused: ${res.status} ${JSON.stringify(res.body)}`,
        );
      }
      return res.body.id;
    };

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      backend = await startTestBackend({
        features: [
          environmentsPlugin,
          fakeCiModule,
          catalogServiceMock.factory({ entities }),
          mockServices.database.factory({ knex }),
          mockServices.httpAuth.factory({
            defaultCredentials: mockCredentials.none(),
          }),
          userInfoFactory,
          demoPolicyFactory,
          notificationsFactory,
          mockServices.rootConfig.factory({
            data: {
              environments: {
                bookingPolicies: {
                  tiers: [{ tier: 'approval', requiresApproval: true }],
                },
                pipelines: { allowRerun: true },
              },
            },
          }),
        ],
      });

      let slots = 0;
      const slot = () => {
        const start = Date.now() + 2 * DAY + slots++ * 2 * HOUR;
        return { start: iso(start), end: iso(start + HOUR) };
      };
      const book = (
        user: Role | typeof HOLDER,
        name: string,
        when: { start: string; end: string },
        team?: string,
      ) =>
        created(
          call(user, 'post', '/bookings', {
            environmentRef: `resource:default/${name}`,
            title: 'Fixture',
            purpose: 'testing',
            ...(team ? { teamRef: team } : {}),
            ...when,
          }),
        );

      await book('requester', 'waitlist-env', {
        start: TAKEN_SLOT_REQUEST.start,
        end: TAKEN_SLOT_REQUEST.end,
      });
      fixtures = {
        slot,
        booking: (name, when = 'later') =>
          book(
            'requester',
            name,
            when === 'now'
              ? {
                  start: iso(Date.now() - MINUTE),
                  end: iso(Date.now() + HOUR),
                }
              : slot(),
            PAYMENTS_TEAM,
          ),
        waitingEntry: () =>
          created(call('requester', 'post', '/waitlist', TAKEN_SLOT_REQUEST)),
        offeredEntry: async () => {
          const freed = slot();
          const held = await book(HOLDER, 'waitlist-env', freed);
          const entry = await created(
            call('requester', 'post', '/waitlist', {
              ...TAKEN_SLOT_REQUEST,
              ...freed,
            }),
          );
          const cancelled = await call(
            HOLDER,
            'post',
            `/bookings/${held}/cancel`,
          );
          expect(cancelled.status).toBe(200);
          return entry;
        },
        blackout: () =>
          created(call('admin', 'post', '/blackouts', blackoutRequest())),
        storedPolicy: async url => {
          const res = await call('admin', 'put', url, { policy: {} });
          expect(res.status).toBe(200);
        },
        readBookingId: await book(
          'requester',
          'matrix-env',
          slot(),
          PAYMENTS_TEAM,
        ),
      };
    });

    afterAll(async () => {
      await backend?.stop();
      await knex?.destroy();
    });

    it.each(ROUTES.map(r => [routeKey(r.method, r.path), r] as const))(
      '%s',
      async (_name, route) => {
        const actual: Record<string, number> = {};
        const refusedWithoutReason: Role[] = [];
        for (const role of ROLES) {
          const { url, body } = await route.cell(fixtures);
          const res = await call(role, route.method, url, body);
          actual[role] = res.status;
          // Every refusal says why, in Backstage's error shape.
          if (
            [401, 403].includes(res.status) &&
            typeof res.body.error?.message !== 'string'
          ) {
            refusedWithoutReason.push(role);
          }
        }
        expect(actual).toEqual(route.expected);
        expect(refusedWithoutReason).toEqual([]);
      },
    );
  });
});
