import { HttpAuthService } from '@backstage/backend-plugin-api';
import { Request, Response } from 'express';
import { createOpenApiRouter } from '../schema/openApiRouter';
import { Audited } from './audited';
import { EnvironmentsService } from '../services/EnvironmentsService';
import { EnvironmentStateService } from '../services/EnvironmentStateService';
import { PoliciesService, PolicyTarget } from '../services/PoliciesService';

/**
 * The administration page's policy and environment-state routes. The services check the admin
 * permission (403) and record each change in the audit table; here every write also goes
 * through `audited`.
 */
export function registerEnvironmentAdministrationRoutes(
  router: ReturnType<typeof createOpenApiRouter>,
  deps: {
    httpAuth: HttpAuthService;
    environments: EnvironmentsService;
    policies: PoliciesService;
    environmentStates: EnvironmentStateService;
    audited: Audited;
  },
) {
  const { httpAuth, audited } = deps;
  const userCaller = (req: Request<any, any, any, any>) =>
    httpAuth.credentials(req, { allow: ['user'] });

  router.get('/admin/policies', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    res.json({ items: await deps.policies.list(credentials) });
  });

  // The three scopes take the same body and answer alike; only the path names them.
  async function putPolicy(
    req: Request<any, any, any, any>,
    res: Response,
    target: PolicyTarget,
  ) {
    const credentials = await userCaller(req);
    const entry = await audited('policy-update', req, { ...target }, () =>
      deps.policies.put(target, req.body, credentials),
    );
    res.json(entry);
  }
  async function resetPolicy(
    req: Request<any, any, any, any>,
    res: Response,
    target: PolicyTarget,
  ) {
    const credentials = await userCaller(req);
    const entry = await audited('policy-reset', req, { ...target }, () =>
      deps.policies.reset(target, credentials),
    );
    res.json(entry);
  }
  const environmentOf = (params: { namespace: string; name: string }) => ({
    kind: 'resource',
    namespace: params.namespace,
    name: params.name,
  });

  router.put('/admin/policies/global', (req, res) =>
    putPolicy(req, res, { scope: 'global' }),
  );
  router.delete('/admin/policies/global', (req, res) =>
    resetPolicy(req, res, { scope: 'global' }),
  );
  router.put('/admin/policies/tiers/:tier', (req, res) =>
    putPolicy(req, res, { scope: 'tier', tier: req.params.tier }),
  );
  router.delete('/admin/policies/tiers/:tier', (req, res) =>
    resetPolicy(req, res, { scope: 'tier', tier: req.params.tier }),
  );
  router.put('/admin/policies/environments/:namespace/:name', (req, res) =>
    putPolicy(req, res, {
      scope: 'environment',
      environment: environmentOf(req.params),
    }),
  );
  router.delete('/admin/policies/environments/:namespace/:name', (req, res) =>
    resetPolicy(req, res, {
      scope: 'environment',
      environment: environmentOf(req.params),
    }),
  );

  router.patch('/admin/environments/:namespace/:name', async (req, res) => {
    const credentials = await userCaller(req);
    const ref = environmentOf(req.params);
    await audited('environment-update', req, { ...ref }, () =>
      deps.environmentStates.update(ref, req.body, credentials),
    );
    res.json(await deps.environments.get(ref, credentials));
  });
}
