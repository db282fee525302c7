import { HttpAuthService } from '@backstage/backend-plugin-api';
import { createOpenApiRouter } from '../schema/openApiRouter';
import { DoraService } from '../services/DoraService';
import { checkedPeriod, optionalDate, requiredEntityRef } from './params';

const DAY_MS = 24 * 3600_000;

/** `GET /dora`: DORA metrics from the stored data; any signed-in user or service may read. */
export function registerDoraRoutes(
  router: ReturnType<typeof createOpenApiRouter>,
  deps: { httpAuth: HttpAuthService; dora: DoraService },
) {
  router.get('/dora', async (req, res) => {
    const credentials = await deps.httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const to = optionalDate(req.query.to, 'to') ?? new Date();
    const from =
      optionalDate(req.query.from, 'from') ??
      new Date(to.getTime() - 30 * DAY_MS);
    res.json(
      await deps.dora.report(
        {
          entityRef: requiredEntityRef(req.query.entityRef, 'entityRef'),
          environment: req.query.environment,
          ...checkedPeriod(from, to),
        },
        credentials,
      ),
    );
  });
}
