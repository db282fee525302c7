import { HttpAuthService } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import express from 'express';
import Router from 'express-promise-router';
import { EnvironmentsService } from './services/EnvironmentsService';

/** The plugin's HTTP API, mounted at `/api/environments`. */
export function createRouter(deps: {
  httpAuth: HttpAuthService;
  environments: EnvironmentsService;
  ciProviderIds: () => string[];
}): express.Router {
  const { httpAuth, environments } = deps;
  const router = Router();

  // Liveness for load balancers and CI; the only route without authentication.
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok', ciProviders: deps.ciProviderIds() });
  });

  router.get('/environments', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const entityRef = optionalEntityRef(req.query.entityRef);
    const items = await environments.list(credentials, { entityRef });
    res.json({ items });
  });

  router.get('/environments/:namespace/:name', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const environment = await environments.get(
      {
        kind: 'resource',
        namespace: req.params.namespace,
        name: req.params.name,
      },
      credentials,
    );
    res.json(environment);
  });

  return router;
}

/** Validates the `entityRef` query parameter: absent, or one full entity ref. */
function optionalEntityRef(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length > 512) {
    throw new InputError(
      'entityRef must be a single entity ref of at most 512 characters',
    );
  }
  try {
    return stringifyEntityRef(parseEntityRef(value));
  } catch {
    throw new InputError(`entityRef is not a valid entity ref: ${value}`);
  }
}
