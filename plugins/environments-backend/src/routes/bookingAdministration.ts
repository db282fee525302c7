import { HttpAuthService } from '@backstage/backend-plugin-api';
import { Request } from 'express';
import { auditEventsCsv } from '../domain/auditCsv';
import { toBlackoutResponse } from '../domain/blackouts';
import { toBookingResponse } from '../domain/bookings';
import { createOpenApiRouter } from '../schema/openApiRouter';
import { Audited } from './audited';
import { AuditService } from '../services/AuditService';
import { BlackoutsService } from '../services/BlackoutsService';
import { BookingsService } from '../services/BookingsService';
import { optionalDate, optionalEntityRef } from './params';

/** Most events one CSV export holds. */
const MAX_EXPORT = 10_000;

/**
 * The administration page's routes: force release and reassignment of bookings, editing
 * blackouts, and the audit log with its CSV export. The services check the permissions (403)
 * and record each change in the audit table; here every write also goes through `audited`.
 */
export function registerBookingAdministrationRoutes(
  router: ReturnType<typeof createOpenApiRouter>,
  deps: {
    httpAuth: HttpAuthService;
    bookings: BookingsService;
    blackouts: BlackoutsService;
    audit: AuditService;
    audited: Audited;
  },
) {
  const { httpAuth, bookings, blackouts, audit, audited } = deps;
  const userCaller = (req: Request<any, any, any, any>) =>
    httpAuth.credentials(req, { allow: ['user'] });

  router.post('/bookings/:id/force-release', async (req, res) => {
    const credentials = await userCaller(req);
    const booking = await audited(
      'booking-force-release',
      req,
      { bookingId: req.params.id },
      () => bookings.forceRelease(req.params.id, req.body, credentials),
    );
    res.json(toBookingResponse(booking));
  });

  router.post('/bookings/:id/reassign', async (req, res) => {
    const credentials = await userCaller(req);
    const booking = await audited(
      'booking-reassign',
      req,
      { bookingId: req.params.id },
      () => bookings.reassign(req.params.id, req.body, credentials),
    );
    res.json(toBookingResponse(booking));
  });

  router.put('/blackouts/:id', async (req, res) => {
    const credentials = await userCaller(req);
    const blackout = await audited(
      'blackout-update',
      req,
      { blackoutId: req.params.id },
      () => blackouts.update(req.params.id, req.body, credentials),
    );
    res.json(toBlackoutResponse(blackout));
  });

  /** The filters `/audit` and `/audit.csv` share. */
  const auditFilter = (query: {
    environmentRef?: string;
    actorRef?: string;
    action?: string;
    from?: string;
    to?: string;
  }) => ({
    environmentRef: optionalEntityRef(query.environmentRef, 'environmentRef'),
    actorRef: optionalEntityRef(query.actorRef, 'actorRef'),
    action: query.action,
    from: optionalDate(query.from, 'from'),
    to: optionalDate(query.to, 'to'),
  });

  router.get('/audit', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const items = await audit.list(
      {
        ...auditFilter(req.query),
        // The validator fills in the spec's defaults; these only satisfy the types.
        limit: req.query.limit ?? 200,
        offset: req.query.offset ?? 0,
      },
      credentials,
    );
    res.json({ items });
  });

  router.get('/audit.csv', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const items = await audit.list(
      { ...auditFilter(req.query), limit: MAX_EXPORT },
      credentials,
    );
    res
      .type('text/csv; charset=utf-8')
      .attachment('audit-log.csv')
      .send(auditEventsCsv(items));
  });
}
