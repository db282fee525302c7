import { createRouteRef } from '@backstage/core-plugin-api';

/** The portal-wide Environments page. */
export const rootRouteRef = createRouteRef({ id: 'environments' });

/** The Environments tab of an entity page. */
export const entityEnvironmentsRouteRef = createRouteRef({
  id: 'environments:entity-environments',
});

/** The SLOs tab of an entity page. */
export const entitySlosRouteRef = createRouteRef({
  id: 'environments:entity-slos',
});

/** The Delivery (DORA metrics) tab of a component, system or group page. */
export const entityDoraRouteRef = createRouteRef({
  id: 'environments:entity-dora',
});

/** The Environments tab of a Group page. */
export const entityTeamEnvironmentsRouteRef = createRouteRef({
  id: 'environments:entity-team-environments',
});

/** The platform team's administration page. */
export const environmentsAdminRouteRef = createRouteRef({
  id: 'environments:admin',
});
