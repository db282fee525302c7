import {
  createApiFactory,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { environmentsApiRef, EnvironmentsClient } from './api';
import {
  entityDoraRouteRef,
  entityEnvironmentsRouteRef,
  entitySlosRouteRef,
  entityTeamEnvironmentsRouteRef,
  environmentsAdminRouteRef,
  rootRouteRef,
} from './routes';

/** The environments plugin for apps on the legacy frontend system. */
export const environmentsPlugin = createPlugin({
  id: 'environments',
  apis: [
    createApiFactory({
      api: environmentsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new EnvironmentsClient(deps),
    }),
  ],
  routes: {
    root: rootRouteRef,
    admin: environmentsAdminRouteRef,
  },
});

/** Portal-wide page listing every environment; mount it at `/environments`. */
export const EnvironmentsPage = environmentsPlugin.provide(
  createRoutableExtension({
    name: 'EnvironmentsPage',
    component: () =>
      import('./components/EnvironmentsPage').then(m => m.EnvironmentsPage),
    mountPoint: rootRouteRef,
  }),
);

/** Entity page tab: the environments the entity runs in. */
export const EntityEnvironmentsContent = environmentsPlugin.provide(
  createRoutableExtension({
    name: 'EntityEnvironmentsContent',
    component: () =>
      import('./components/EntityEnvironmentsContent').then(
        m => m.EntityEnvironmentsContent,
      ),
    mountPoint: entityEnvironmentsRouteRef,
  }),
);

/** Entity page tab: the entity's service level objectives. */
export const EntitySlosContent = environmentsPlugin.provide(
  createRoutableExtension({
    name: 'EntitySlosContent',
    component: () =>
      import('./components/EntitySlosContent').then(m => m.EntitySlosContent),
    mountPoint: entitySlosRouteRef,
  }),
);

/** Component, system and group page tab: DORA metrics from the stored deployments and SLOs. */
export const EntityDoraContent = environmentsPlugin.provide(
  createRoutableExtension({
    name: 'EntityDoraContent',
    component: () =>
      import('./components/EntityDoraContent').then(m => m.EntityDoraContent),
    mountPoint: entityDoraRouteRef,
  }),
);

/** Group page tab: the team's environments, bookings, waitlist places, SLOs and pipelines. */
export const EntityTeamEnvironmentsContent = environmentsPlugin.provide(
  createRoutableExtension({
    name: 'EntityTeamEnvironmentsContent',
    component: () =>
      import('./components/EntityTeamEnvironmentsContent').then(
        m => m.EntityTeamEnvironmentsContent,
      ),
    mountPoint: entityTeamEnvironmentsRouteRef,
  }),
);

/** The platform team's administration page; mount it at `/environments-admin`. */
export const EnvironmentsAdminPage = environmentsPlugin.provide(
  createRoutableExtension({
    name: 'EnvironmentsAdminPage',
    component: () =>
      import('./components/AdminPage').then(m => m.EnvironmentsAdminPage),
    mountPoint: environmentsAdminRouteRef,
  }),
);
