import { AuditorService, HttpAuthService } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  BookingConflictResponse,
  BookingStatus,
  WaitlistEntry,
} from '@internal/plugin-environments-common';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { JsonObject } from '@backstage/types';
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
import { toBlackoutResponse } from './domain/blackouts';

const BOOKING_STATUSES: BookingStatus[] = [
  'pending',
  'approved',
  'released',
  'expired',
  'rejected',
  'cancelled',
];
const WAITLIST_STATUSES: WaitlistEntry['status'][] = [
  'waiting',
  'offered',
  'claimed',
  'lapsed',
  'left',
];
const MAX_PAGE = 500;
const DAY_MS = 24 * 3600_000;

/** The plugin's HTTP API, mounted at `/api/environments`. */
export function createRouter(deps: {
  httpAuth: HttpAuthService;
  auditor: AuditorService;
  environments: EnvironmentsService;
  bookings: BookingsService;
  blackouts: BlackoutsService;
  waitlist: WaitlistService;
  audit: AuditService;
  ciProviderIds: () => string[];
}): express.Router {
  const {
    httpAuth,
    auditor,
    environments,
    bookings,
    blackouts,
    waitlist,
    audit,
  } = deps;
  const router = Router();
  // Reads accept users and services (e.g. CI pipelines); writes need a user to act as.
  const anyCaller = (req: Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });
  const userCaller = (req: Request) =>
    httpAuth.credentials(req, { allow: ['user'] });
  router.use(express.json({ limit: '64kb' }));

  /** Runs a write and records it with the auditor, whether it succeeds or fails. */
  async function audited<T>(
    eventId: string,
    req: Request,
    meta: JsonObject,
    write: () => Promise<T>,
  ): Promise<T> {
    const event = await auditor.createEvent({ eventId, request: req, meta });
    try {
      const result = await write();
      await event.success();
      return result;
    } catch (error) {
      await event.fail({ error: error as Error });
      throw error;
    }
  }

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
    const hours = Number(
      optionalString(req.query.durationHours, 'durationHours'),
    );
    if (!Number.isFinite(hours) || hours <= 0 || hours > 90 * 24) {
      throw new InputError(
        'durationHours is required: a number of hours up to 2160',
      );
    }
    if (
      to.getTime() <= from.getTime() ||
      to.getTime() - from.getTime() > 366 * DAY_MS
    ) {
      throw new InputError('to must be after from, at most 366 days later');
    }
    const items = await environments.availability(credentials, {
      tier: optionalString(req.query.tier, 'tier')?.toLocaleLowerCase('en-US'),
      systemRef: optionalEntityRef(req.query.systemRef, 'systemRef'),
      entityRef: optionalEntityRef(req.query.entityRef, 'entityRef'),
      from,
      to,
      durationMs: hours * 3600_000,
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
    const requester = optionalString(req.query.requesterRef, 'requesterRef');
    if (requester === 'me' && credentials.principal.type !== 'user') {
      throw new InputError('requesterRef: "me" needs a user token');
    }
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
      requesterRef:
        requester === 'me' && credentials.principal.type === 'user'
          ? credentials.principal.userEntityRef
          : optionalEntityRef(requester, 'requesterRef'),
      from: optionalDate(req.query.from, 'from'),
      to: optionalDate(req.query.to, 'to'),
      statuses: optionalStatuses(req.query.status),
      limit: optionalLimit(req.query.limit),
      offset: optionalOffset(req.query.offset),
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
      { environmentRef: String(req.body?.environmentRef ?? '') },
      () => bookings.create(req.body, credentials),
    );
    res.status(201).json(toBookingResponse(booking));
  });

  router.post('/booking-series', async (req, res) => {
    const credentials = await userCaller(req);
    const series = await audited(
      'booking-series-create',
      req,
      { environmentRef: String(req.body?.environmentRef ?? '') },
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
    const requester = optionalString(req.query.requesterRef, 'requesterRef');
    const status = optionalString(req.query.status, 'status');
    const statuses = status?.split(',') as
      | WaitlistEntry['status'][]
      | undefined;
    if (statuses?.some(s => !WAITLIST_STATUSES.includes(s))) {
      throw new InputError(
        `status must be among ${WAITLIST_STATUSES.join(', ')}`,
      );
    }
    const items = await waitlist.list({
      environmentRef: optionalEntityRef(
        req.query.environmentRef,
        'environmentRef',
      ),
      requesterRef:
        requester === 'me' && credentials.principal.type === 'user'
          ? credentials.principal.userEntityRef
          : optionalEntityRef(requester, 'requesterRef'),
      statuses,
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

  router.get('/audit', async (req, res) => {
    const credentials = await anyCaller(req);
    const items = await audit.list(
      {
        environmentRef: optionalEntityRef(
          req.query.environmentRef,
          'environmentRef',
        ),
        actorRef: optionalEntityRef(req.query.actorRef, 'actorRef'),
        action: optionalString(req.query.action, 'action'),
        from: optionalDate(req.query.from, 'from'),
        to: optionalDate(req.query.to, 'to'),
        limit: optionalLimit(req.query.limit),
      },
      credentials,
    );
    res.json({ items });
  });

  router.get('/blackouts', async (req, res) => {
    await anyCaller(req);
    const environmentRef = optionalEntityRef(
      req.query.environmentRef,
      'environmentRef',
    );
    const tier = optionalString(req.query.tier, 'tier');
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

function optionalString(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length > 512) {
    throw new InputError(
      `${name} must be a single value of at most 512 characters`,
    );
  }
  return value;
}

/** Absent, or one full entity ref. */
function optionalEntityRef(value: unknown, name: string): string | undefined {
  const text = optionalString(value, name);
  if (text === undefined) return undefined;
  try {
    return stringifyEntityRef(parseEntityRef(text));
  } catch {
    throw new InputError(`${name} is not a valid entity ref: ${text}`);
  }
}

function optionalDate(value: unknown, name: string): Date | undefined {
  const text = optionalString(value, name);
  if (text === undefined) return undefined;
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) {
    throw new InputError(`${name} must be an ISO 8601 date-time`);
  }
  return date;
}

function optionalStatuses(value: unknown): BookingStatus[] | undefined {
  const text = optionalString(value, 'status');
  if (text === undefined) return undefined;
  const statuses = text.split(',');
  const unknown = statuses.filter(
    s => !BOOKING_STATUSES.includes(s as BookingStatus),
  );
  if (unknown.length) {
    throw new InputError(`status must be among ${BOOKING_STATUSES.join(', ')}`);
  }
  return statuses as BookingStatus[];
}

function optionalOffset(value: unknown): number {
  const text = optionalString(value, 'offset');
  if (text === undefined) return 0;
  const offset = Number(text);
  if (!Number.isInteger(offset) || offset < 0 || offset > 1_000_000) {
    throw new InputError('offset must be an integer from 0 to 1000000');
  }
  return offset;
}

function optionalLimit(value: unknown): number {
  const text = optionalString(value, 'limit');
  if (text === undefined) return 200;
  const limit = Number(text);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
    throw new InputError(`limit must be an integer from 1 to ${MAX_PAGE}`);
  }
  return limit;
}
