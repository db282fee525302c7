import {
  AuditorService,
  BackstageCredentials,
  BackstageServicePrincipal,
  BackstageUserPrincipal,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, ServiceUnavailableError } from '@backstage/errors';
import { BookingConflictResponse } from '@internal/plugin-environments-common';
import express, { Request } from 'express';
import { createOpenApiRouter } from './schema/openApiRouter';
import {
  BookingAction,
  parseNewBooking,
  toBookingResponse,
} from './domain/bookings';
import { toICalendar } from './domain/ical';
import {
  BookingConflictError,
  BookingsService,
} from './services/BookingsService';
import { EnvironmentsService } from './services/EnvironmentsService';
import { BlackoutsService } from './services/BlackoutsService';
import { WaitlistService } from './services/WaitlistService';
import { AuditService } from './services/AuditService';
import { SloService } from './services/SloService';
import { PipelinesService } from './services/PipelinesService';
import { TeamService } from './services/TeamService';
import { registerTeamRoutes } from './routes/teams';
import { createAudited } from './routes/audited';
import { registerDoraRoutes } from './routes/dora';
import { DoraService } from './services/DoraService';
import { registerBookingAdministrationRoutes } from './routes/bookingAdministration';
import { toBlackoutResponse } from './domain/blackouts';
import { isDependencyUnavailable } from './database/unavailable';
import { AnalyticsService } from './services/AnalyticsService';
import { IdleReleaseService } from './services/IdleReleaseService';
import { registerUsageRoutes } from './routes/usage';
import { registerEnvironmentAdministrationRoutes } from './routes/environmentAdministration';
import { PoliciesService } from './services/PoliciesService';
import { EnvironmentStateService } from './services/EnvironmentStateService';
import {
  checkedPeriod,
  optionalDate,
  optionalEntityRef,
  requiredEntityRef,
} from './routes/params';

const MAX_PAGE = 500;
// The validator fills in the spec's default page size; this only satisfies the types.
const DEFAULT_PAGE = 200;
const DAY_MS = 24 * 3600_000;

/**
 * The plugin's HTTP API, mounted at `/api/environments` and described by
 * `schema/openapi.yaml`: requests reach these handlers only once they match it, so the handlers
 * check what a schema cannot (entity refs, the caller, the booking rules).
 */
export function createRouter(deps: {
  httpAuth: HttpAuthService;
  auditor: AuditorService;
  environments: EnvironmentsService;
  bookings: BookingsService;
  blackouts: BlackoutsService;
  waitlist: WaitlistService;
  audit: AuditService;
  slos: SloService;
  pipelines: PipelinesService;
  teams: TeamService;
  analytics: AnalyticsService;
  idleRelease: IdleReleaseService;
  policies: PoliciesService;
  environmentStates: EnvironmentStateService;
  ciProviderIds: () => string[];
  dora: DoraService;
}): express.Router {
  const {
    httpAuth,
    auditor,
    environments,
    bookings,
    blackouts,
    waitlist,
    audit,
    slos,
    pipelines,
  } = deps;
  const router = createOpenApiRouter();
  // Reads accept users and services (e.g. CI pipelines); writes need a user to act as.
  const anyCaller = (req: Request<any, any, any, any>) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });
  const userCaller = (req: Request<any, any, any, any>) =>
    httpAuth.credentials(req, { allow: ['user'] });

  const audited = createAudited(auditor);

  // Liveness for load balancers and CI; the only route without authentication.
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok', ciProviders: deps.ciProviderIds() });
  });

  router.get('/environments', async (req, res) => {
    const credentials = await anyCaller(req);
    const entityRef = optionalEntityRef(req.query.entityRef, 'entityRef');
    const items = await environments.list(credentials, { entityRef });
    res.json({ items });
  });

  router.get('/environments/:namespace/:name', async (req, res) => {
    const credentials = await anyCaller(req);
    const environment = await environments.get(
      environmentInPath(req),
      credentials,
    );
    res.json(environment);
  });

  // The booking check for CI: does this user or team hold the environment right now?
  router.get('/environments/:namespace/:name/check', async (req, res) => {
    const credentials = await anyCaller(req);
    const user = optionalEntityRef(req.query.user, 'user');
    const team = optionalEntityRef(req.query.team, 'team');
    if (user && team)
      throw new InputError('Give either user or team, not both');
    let holder = user ?? team;
    if (!holder) {
      if (credentials.principal.type !== 'user') {
        throw new InputError('user or team is required for a service token');
      }
      holder = credentials.principal.userEntityRef;
    }
    const environmentRef = stringifyEntityRef(environmentInPath(req));
    const result = await bookings.check(environmentRef, holder, credentials);
    res.json({
      environmentRef,
      holder,
      held: result.held,
      bookings: result.bookings.map(toBookingResponse),
    });
  });

  router.get('/availability', async (req, res) => {
    const credentials = await anyCaller(req);
    const from = optionalDate(req.query.from, 'from') ?? new Date();
    const to =
      optionalDate(req.query.to, 'to') ??
      new Date(from.getTime() + 14 * DAY_MS);
    checkedPeriod(from, to);
    const items = await environments.availability(credentials, {
      tier: req.query.tier?.toLocaleLowerCase('en-US'),
      systemRef: optionalEntityRef(req.query.systemRef, 'systemRef'),
      entityRef: optionalEntityRef(req.query.entityRef, 'entityRef'),
      from,
      to,
      durationMs: req.query.durationHours * 3600_000,
    });
    res.json({ items });
  });

  // Calendar feeds (RFC 5545) of an environment's and of a team's bookings.
  router.get(
    '/environments/:namespace/:name/bookings.ics',
    async (req, res) => {
      const credentials = await anyCaller(req);
      const environment = await environments.get(
        environmentInPath(req),
        credentials,
      );
      await sendCalendar(res, environment.title ?? environment.name, {
        environmentRef: environment.entityRef,
      });
    },
  );

  router.get('/teams/:namespace/:name/bookings.ics', async (req, res) => {
    await anyCaller(req);
    const teamRef = stringifyEntityRef({
      kind: 'group',
      namespace: req.params.namespace,
      name: req.params.name,
    });
    await sendCalendar(res, `Bookings of ${req.params.name}`, { teamRef });
  });

  registerTeamRoutes(router, deps);
  registerDoraRoutes(router, deps);

  async function sendCalendar(
    res: express.Response,
    name: string,
    filter: { environmentRef?: string; teamRef?: string },
  ) {
    const now = new Date();
    const items = await bookings.list({
      ...filter,
      statuses: ['approved', 'pending'],
      from: new Date(now.getTime() - 30 * DAY_MS),
      to: new Date(now.getTime() + 366 * DAY_MS),
      limit: MAX_PAGE,
    });
    res
      .type('text/calendar; charset=utf-8')
      .send(toICalendar(name, items, now));
  }

  router.get('/bookings', async (req, res) => {
    const credentials = await anyCaller(req);
    const entityRef = optionalEntityRef(req.query.entityRef, 'entityRef');
    const items = await bookings.list({
      environmentRef: optionalEntityRef(
        req.query.environmentRef,
        'environmentRef',
      ),
      // Bookings of the environments an entity (a component, usually) runs in.
      environmentRefs: entityRef
        ? (
            await environments.list(credentials, { entityRef })
          ).map(e => e.entityRef)
        : undefined,
      teamRef: optionalEntityRef(req.query.teamRef, 'teamRef'),
      requesterRef: requesterFilter(req.query.requesterRef, credentials),
      from: optionalDate(req.query.from, 'from'),
      to: optionalDate(req.query.to, 'to'),
      statuses: req.query.status,
      limit: req.query.limit ?? DEFAULT_PAGE,
      offset: req.query.offset ?? 0,
    });
    res.json({ items: items.map(toBookingResponse) });
  });

  router.get('/bookings/:id', async (req, res) => {
    await anyCaller(req);
    res.json(toBookingResponse(await bookings.get(req.params.id)));
  });

  router.post('/bookings', async (req, res) => {
    const credentials = await userCaller(req);
    const booking = await audited(
      'booking-create',
      req,
      { environmentRef: req.body.environmentRef },
      () => bookings.create(req.body, credentials),
    );
    res.status(201).json(toBookingResponse(booking));
  });

  router.post('/booking-series', async (req, res) => {
    const credentials = await userCaller(req);
    const series = await audited(
      'booking-series-create',
      req,
      { environmentRef: req.body.environmentRef },
      () => bookings.createSeries(req.body, credentials),
    );
    res.status(201).json({
      seriesId: series.seriesId,
      items: series.bookings.map(toBookingResponse),
    });
  });

  router.post('/bookings/:id/extend', async (req, res) => {
    const credentials = await userCaller(req);
    const booking = await audited(
      'booking-extend',
      req,
      { bookingId: req.params.id },
      () => bookings.extend(req.params.id, req.body, credentials),
    );
    res.json(toBookingResponse(booking));
  });

  for (const decision of ['approve', 'reject'] as const) {
    router.post(`/bookings/:id/${decision}`, async (req, res) => {
      const credentials = await userCaller(req);
      const booking = await audited(
        `booking-${decision}`,
        req,
        { bookingId: req.params.id },
        () => bookings.decide(req.params.id, decision, req.body, credentials),
      );
      res.json(toBookingResponse(booking));
    });
  }

  for (const action of ['release', 'cancel'] as BookingAction[]) {
    router.post(`/bookings/:id/${action}`, async (req, res) => {
      const credentials = await userCaller(req);
      const booking = await audited(
        `booking-${action}`,
        req,
        { bookingId: req.params.id },
        () => bookings.end(req.params.id, action, credentials),
      );
      res.json(toBookingResponse(booking));
    });
  }

  router.get('/waitlist', async (req, res) => {
    const credentials = await anyCaller(req);
    const items = await waitlist.list({
      environmentRef: optionalEntityRef(
        req.query.environmentRef,
        'environmentRef',
      ),
      requesterRef: requesterFilter(req.query.requesterRef, credentials),
      statuses: req.query.status,
    });
    res.json({ items });
  });

  router.post('/waitlist', async (req, res) => {
    const credentials = await userCaller(req);
    const entry = await audited('waitlist-join', req, {}, () =>
      waitlist.join(parseNewBooking(req.body, new Date()), credentials),
    );
    res.status(201).json(entry);
  });

  router.post('/waitlist/:id/leave', async (req, res) => {
    const credentials = await userCaller(req);
    await audited('waitlist-leave', req, { entryId: req.params.id }, () =>
      waitlist.leave(req.params.id, credentials),
    );
    res.status(204).end();
  });

  router.post('/waitlist/:id/claim', async (req, res) => {
    const credentials = await userCaller(req);
    const booking = await audited(
      'waitlist-claim',
      req,
      { entryId: req.params.id },
      () => bookings.claim(req.params.id, credentials),
    );
    res.status(201).json(toBookingResponse(booking));
  });

  registerBookingAdministrationRoutes(router, {
    httpAuth,
    bookings,
    blackouts,
    audit,
    audited,
  });

  router.get('/blackouts', async (req, res) => {
    await anyCaller(req);
    const environmentRef = optionalEntityRef(
      req.query.environmentRef,
      'environmentRef',
    );
    const tier = req.query.tier;
    const from = optionalDate(req.query.from, 'from') ?? new Date();
    const to =
      optionalDate(req.query.to, 'to') ??
      new Date(from.getTime() + 30 * DAY_MS);
    const items = await blackouts.list({
      environmentRefs: environmentRef ? [environmentRef] : undefined,
      tiers: tier ? [tier.toLocaleLowerCase('en-US')] : undefined,
      from,
      to,
    });
    res.json({ items: items.map(toBlackoutResponse) });
  });

  router.post('/blackouts', async (req, res) => {
    const credentials = await userCaller(req);
    const blackout = await audited('blackout-create', req, {}, () =>
      blackouts.create(req.body, credentials),
    );
    res.status(201).json(toBlackoutResponse(blackout));
  });

  router.delete('/blackouts/:id', async (req, res) => {
    const credentials = await userCaller(req);
    await audited('blackout-delete', req, { blackoutId: req.params.id }, () =>
      blackouts.delete(req.params.id, credentials),
    );
    res.status(204).end();
  });

  router.get('/slos', async (req, res) => {
    const credentials = await anyCaller(req);
    res.json(
      await slos.forEntity(
        requiredEntityRef(req.query.entityRef, 'entityRef'),
        {
          environment: req.query.environment,
          credentials,
        },
      ),
    );
  });

  // The error-budget gate for pipelines: allow or deny, with reasons; audited either way.
  router.get('/slos/gate', async (req, res) => {
    const credentials = await anyCaller(req);
    const entityRef = requiredEntityRef(req.query.entityRef, 'entityRef');
    const result = await audited(
      'slo-gate',
      req,
      { entityRef, environment: req.query.environment ?? null },
      () =>
        slos.gate(entityRef, {
          environment: req.query.environment,
          credentials,
        }),
      gate => ({ decision: gate.decision, reasons: gate.reasons }),
    );
    res.json(result);
  });

  router.get('/slos/rollup', async (req, res) => {
    const credentials = await anyCaller(req);
    res.json(
      await slos.rollup(
        requiredEntityRef(req.query.groupRef, 'groupRef'),
        credentials,
      ),
    );
  });

  router.get('/pipelines', async (req, res) => {
    const credentials = await anyCaller(req);
    res.json(
      await pipelines.summary(
        requiredEntityRef(req.query.entityRef, 'entityRef'),
        credentials,
      ),
    );
  });

  router.get('/pipelines/runs', async (req, res) => {
    const credentials = await anyCaller(req);
    res.json(
      await pipelines.runs(
        requiredEntityRef(req.query.entityRef, 'entityRef'),
        {
          provider: req.query.provider,
          branch: req.query.branch,
          cursor: req.query.cursor,
          limit: req.query.limit ?? 20,
        },
        credentials,
      ),
    );
  });

  router.get('/pipelines/runs/:provider/:runId', async (req, res) => {
    const credentials = await anyCaller(req);
    res.json(
      await pipelines.run(
        requiredEntityRef(req.query.entityRef, 'entityRef'),
        req.params.provider,
        req.params.runId,
        credentials,
      ),
    );
  });

  router.post('/pipelines/runs/:provider/:runId/rerun', async (req, res) => {
    const credentials = await userCaller(req);
    const entityRef = requiredEntityRef(req.body.entityRef, 'entityRef');
    await audited(
      'pipeline-rerun',
      req,
      { entityRef, provider: req.params.provider, runId: req.params.runId },
      () =>
        pipelines.rerun(
          entityRef,
          req.params.provider,
          req.params.runId,
          credentials,
        ),
    );
    res.status(202).end();
  });

  router.get('/deployments', async (req, res) => {
    const credentials = await anyCaller(req);
    res.json(
      await pipelines.deployments(
        requiredEntityRef(req.query.entityRef, 'entityRef'),
        credentials,
      ),
    );
  });

  router.get('/deployments/map', async (req, res) => {
    const credentials = await anyCaller(req);
    const systemRef = optionalEntityRef(req.query.systemRef, 'systemRef');
    const environmentRef = optionalEntityRef(
      req.query.environmentRef,
      'environmentRef',
    );
    if (!systemRef === !environmentRef) {
      throw new InputError('Give exactly one of systemRef and environmentRef');
    }
    res.json(
      await pipelines.versionMap({ systemRef, environmentRef }, credentials),
    );
  });

  registerUsageRoutes(router, { ...deps, audited });
  registerEnvironmentAdministrationRoutes(router, { ...deps, audited });

  // A refused booking answers 409 with who holds the time and, for one slot, the next free one.
  router.use(
    (
      error: unknown,
      _req: Request,
      res: express.Response,
      next: express.NextFunction,
    ) => {
      if (!(error instanceof BookingConflictError)) {
        next(error);
        return;
      }
      res.status(409).json(conflictBody(error));
    },
  );

  // The database or the catalog is away (restarting, say): 503, so clients know to try again.
  router.use(
    (
      error: unknown,
      _req: Request,
      _res: express.Response,
      next: express.NextFunction,
    ) => {
      next(
        isDependencyUnavailable(error)
          ? new ServiceUnavailableError(
              'A service the environments plugin needs is unavailable; try again shortly',
              error,
            )
          : error,
      );
    },
  );

  return router;
}

/** The environment named by a route's `:namespace/:name`. */
function environmentInPath(req: Request) {
  return {
    kind: 'resource',
    namespace: req.params.namespace,
    name: req.params.name,
  };
}

/** The 409 body of a refused booking or extension: who holds the time, and the next free slot. */
function conflictBody(error: BookingConflictError): BookingConflictResponse {
  return {
    error: { name: 'ConflictError', message: error.message },
    conflicts: error.conflicts.map(toBookingResponse),
    nextFreeSlot: error.nextFreeSlot && isoInterval(error.nextFreeSlot),
    takenOccurrences: error.takenOccurrences.length
      ? error.takenOccurrences.map(isoInterval)
      : undefined,
  };
}

function isoInterval(interval: { start: Date; end: Date }) {
  return {
    start: interval.start.toISOString(),
    end: interval.end.toISOString(),
  };
}

/** A requester filter: a user ref, or `me` for the calling user. */
function requesterFilter(
  value: string | undefined,
  credentials: BackstageCredentials<
    BackstageUserPrincipal | BackstageServicePrincipal
  >,
): string | undefined {
  if (value !== 'me') return optionalEntityRef(value, 'requesterRef');
  if (credentials.principal.type !== 'user') {
    throw new InputError('requesterRef: "me" needs a user token');
  }
  return credentials.principal.userEntityRef;
}
