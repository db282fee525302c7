import { HttpAuthService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { createOpenApiRouter } from '../schema/openApiRouter';
import { TeamService } from '../services/TeamService';

/** The Group page's data: `GET /teams/{namespace}/{name}/overview`; users and services may read. */
export function registerTeamRoutes(
  router: ReturnType<typeof createOpenApiRouter>,
  deps: { httpAuth: HttpAuthService; teams: TeamService },
) {
  router.get('/teams/:namespace/:name/overview', async (req, res) => {
    const credentials = await deps.httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const groupRef = stringifyEntityRef({
      kind: 'group',
      namespace: req.params.namespace,
      name: req.params.name,
    });
    res.json(await deps.teams.overview(groupRef, credentials));
  });
}
