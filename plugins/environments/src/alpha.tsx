import {
  compatWrapper,
  convertLegacyRouteRef,
  convertLegacyRouteRefs,
} from '@backstage/core-compat-api';
import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import DnsIcon from '@material-ui/icons/Dns';
import { environmentsApiRef, EnvironmentsClient } from './api';
import { environmentsAdminRouteRef, rootRouteRef } from './routes';

/** Client of the environments backend, for the new frontend system. */
export const environmentsApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: environmentsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new EnvironmentsClient(deps),
    }),
});

/** The portal-wide Environments page at `/environments`, with its sidebar entry. */
export const environmentsPage = PageBlueprint.make({
  params: {
    path: '/environments',
    title: 'Environments',
    icon: <DnsIcon fontSize="inherit" />,
    routeRef: convertLegacyRouteRef(rootRouteRef),
    loader: () =>
      import('./components/EnvironmentsPage').then(m =>
        compatWrapper(<m.EnvironmentsPage />),
      ),
  },
});

/**
 * The platform team's administration page at `/environments-admin`. No icon: it is not a
 * navigation item for everyone, the page itself tells non-admins they are not allowed.
 */
export const environmentsAdminPage = PageBlueprint.make({
  name: 'admin',
  params: {
    path: '/environments-admin',
    title: 'Environments administration',
    routeRef: convertLegacyRouteRef(environmentsAdminRouteRef),
    loader: () =>
      import('./components/AdminPage').then(m =>
        compatWrapper(<m.EnvironmentsAdminPage />),
      ),
  },
});

/** The Environments tab of component pages. */
export const entityEnvironmentsContent = EntityContentBlueprint.make({
  name: 'environments',
  params: {
    path: '/environments',
    title: 'Environments',
    filter: 'kind:component',
    loader: () =>
      import('./components/EntityEnvironmentsContent').then(m =>
        compatWrapper(<m.EntityEnvironmentsContent />),
      ),
  },
});

/** The SLOs tab of component pages. */
export const entitySlosContent = EntityContentBlueprint.make({
  name: 'slos',
  params: {
    path: '/slos',
    title: 'SLOs',
    filter: 'kind:component',
    loader: () =>
      import('./components/EntitySlosContent').then(m =>
        compatWrapper(<m.EntitySlosContent />),
      ),
  },
});

/** The Delivery tab of component, system and group pages: their DORA metrics. */
export const entityDoraContent = EntityContentBlueprint.make({
  name: 'dora',
  params: {
    path: '/delivery',
    title: 'Delivery',
    filter: 'kind:component,system,group',
    loader: () =>
      import('./components/EntityDoraContent').then(m =>
        compatWrapper(<m.EntityDoraContent />),
      ),
  },
});

/** The Environments tab of group pages: the team's environments, bookings, SLOs and pipelines. */
export const entityTeamEnvironmentsContent = EntityContentBlueprint.make({
  name: 'team-environments',
  params: {
    path: '/environments',
    title: 'Environments',
    filter: 'kind:group',
    loader: () =>
      import('./components/EntityTeamEnvironmentsContent').then(m =>
        compatWrapper(<m.EntityTeamEnvironmentsContent />),
      ),
  },
});

/** The environments plugin for apps on the new frontend system. */
export default createFrontendPlugin({
  pluginId: 'environments',
  title: 'Environments',
  icon: <DnsIcon fontSize="inherit" />,
  routes: convertLegacyRouteRefs({
    root: rootRouteRef,
    admin: environmentsAdminRouteRef,
  }),
  extensions: [
    environmentsApi,
    environmentsPage,
    environmentsAdminPage,
    entityEnvironmentsContent,
    entitySlosContent,
    entityDoraContent,
    entityTeamEnvironmentsContent,
  ],
});
