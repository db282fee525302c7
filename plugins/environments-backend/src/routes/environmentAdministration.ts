import { HttpAuthService } from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';
import { Request } from 'express';
import { createOpenApiRouter } from '../schema/openApiRouter';
import { EnvironmentsService } from '../services/EnvironmentsService';
import { EnvironmentStateService } from '../services/EnvironmentStateService';
import { PoliciesService, PolicyTarget } from '../services/PoliciesService';

/** The router's `audited`: runs a write and records it with the Backstage auditor. */
type Audited = <T>(
  eventId: string,
  req: Request<any, any, any, any>,
  meta: JsonObject,
  write: () => Promise<T>,
) => Promise<T>;

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
  const scopes: Array<{
    path: string;
    target: (req: Request<any>) => PolicyTarget;
  }> = [
    { path: '/admin/policies/global', target: () => ({ scope: 'global' }) },
    {
      path: '/admin/policies/tiers/:tier',
      target: req => ({ scope: 'tier', tier: req.params.tier }),
    },
    {
      path: '/admin/policies/environments/:namespace/:name',
      target: req => ({
        scope: 'environment',
        environment: {
          kind: 'resource',
          namespace: req.params.namespace,
          name: req.params.name,
        },
      }),
    },
  ];
  for (const { path, target } of scopes) {
    router.put(path as '/admin/policies/global', async (req, res) => {
      const credentials = await userCaller(req);
      const policyTarget = target(req);
      const entry = await audited(
        'policy-update',
        req,
        { ...policyTarget },
        () => deps.policies.put(policyTarget, req.body, credentials),
      );
      res.json(entry);
    });
    router.delete(path as '/admin/policies/global', async (req, res) => {
      const credentials = await userCaller(req);
      const policyTarget = target(req);
      const entry = await audited(
        'policy-reset',
        req,
        { ...policyTarget },
        () => deps.policies.reset(policyTarget, credentials),
      );
      res.json(entry);
    });
  }

  router.patch('/admin/environments/:namespace/:name', async (req, res) => {
    const credentials = await userCaller(req);
    const ref = {
      kind: 'resource',
      namespace: req.params.namespace,
      name: req.params.name,
    };
    await audited('environment-update', req, { ...ref }, () =>
      deps.environmentStates.update(ref, req.body, credentials),
    );
    res.json(await deps.environments.get(ref, credentials));
  });
}
