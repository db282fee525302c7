import {
  BackendFeature,
  coreServices,
  createServiceFactory,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { JsonObject } from '@backstage/types';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { notificationService } from '@backstage/plugin-notifications-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { Knex } from 'knex';
import { environmentsPlugin } from '../plugin';

/** An environment as the catalog returns it, owned by the platform team, tier `test`. */
export function testEnvironment(
  name: string,
  annotations: Record<string, string> = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name,
      namespace: 'default',
      annotations: { 'tem.dev/tier': 'test', ...annotations },
    },
    spec: { type: 'environment', owner: 'group:default/platform-team' },
    relations: [{ type: 'ownedBy', targetRef: 'group:default/platform-team' }],
  };
}

/** Test users: alice and carol share a team, dave is in the owning platform team. */
export const users = {
  alice: 'user:default/alice',
  bob: 'user:default/bob',
  carol: 'user:default/carol',
  dave: 'user:default/dave',
  /** Holds the admin, blackout and override permissions. */
  admin: 'user:default/admin',
};

const teams: Record<string, string[]> = {
  [users.alice]: ['group:default/payments-team'],
  [users.carol]: ['group:default/payments-team'],
  [users.bob]: ['group:default/search-team'],
  [users.dave]: ['group:default/platform-team'],
};

/** Ownership as the catalog would resolve it: the user and the teams they belong to. */
const userInfoFactory = createServiceFactory({
  service: coreServices.userInfo,
  deps: {},
  factory: () => ({
    async getUserInfo(credentials: any) {
      const userEntityRef = credentials.principal.userEntityRef as string;
      return {
        userEntityRef,
        ownershipEntityRefs: [userEntityRef, ...(teams[userEntityRef] ?? [])],
      };
    },
  }),
});

/** Everyone may book; only the admin holds the other permissions. */
const permissionsFactory = createServiceFactory({
  service: coreServices.permissions,
  deps: {},
  factory: () => ({
    async authorize(requests: any[], options: any) {
      const isAdmin =
        options.credentials.principal.userEntityRef === users.admin;
      return requests.map(r => ({
        result:
          r.permission.name === 'environments.booking.create' || isAdmin
            ? AuthorizeResult.ALLOW
            : AuthorizeResult.DENY,
      }));
    },
    async authorizeConditional(requests: any[]) {
      return requests.map(() => ({ result: AuthorizeResult.ALLOW }));
    },
  }),
});

export interface SentNotification {
  recipients: { entityRef: string | string[] };
  payload: { title: string };
}

/**
 * The environments plugin in a test backend on `knex`, with a catalog of `entities`, the test
 * users above, and the notifications it sends captured in `sent` instead of delivered.
 */
export async function startBookingBackend(options: {
  knex: Knex;
  entities: Entity[];
  config?: JsonObject;
  /** A scheduler the test triggers tasks with, e.g. `mockServices.scheduler()`. */
  scheduler?: SchedulerService;
  /** Further modules, e.g. CI providers or SLI sources. */
  features?: BackendFeature[];
}) {
  const sent: SentNotification[] = [];
  const notificationsFactory = createServiceFactory({
    service: notificationService,
    deps: {},
    factory: () => ({
      async send(notification: any) {
        sent.push(notification);
      },
    }),
  });
  const backend = await startTestBackend({
    features: [
      environmentsPlugin,
      catalogServiceMock.factory({ entities: options.entities }),
      mockServices.database.factory({ knex: options.knex }),
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
      userInfoFactory,
      permissionsFactory,
      notificationsFactory,
      mockServices.rootConfig.factory({ data: options.config ?? {} }),
      ...(options.scheduler
        ? [
            createServiceFactory({
              service: coreServices.scheduler,
              deps: {},
              factory: () => options.scheduler!,
            }),
          ]
        : []),
      ...(options.features ?? []),
    ],
  });
  return { backend, server: backend.server, sent };
}

/** The Authorization header of a signed-in user. */
export const as = (user: string) => mockCredentials.user.header(user);
