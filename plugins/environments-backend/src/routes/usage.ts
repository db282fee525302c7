import { HttpAuthService } from '@backstage/backend-plugin-api';
import { Request } from 'express';
import {
  REFUSAL_KINDS,
  UsageFigures,
  UsageReport,
} from '@internal/plugin-environments-common';
import { toBookingResponse } from '../domain/bookings';
import { CsvColumn, toCsv } from '../domain/csv';
import { createOpenApiRouter } from '../schema/openApiRouter';
import { Audited } from './audited';
import { AnalyticsService } from '../services/AnalyticsService';
import { IdleReleaseService } from '../services/IdleReleaseService';
import { checkedPeriod, optionalDate, optionalEntityRef } from './params';

const DAY_MS = 24 * 3600_000;
/** The period shown when none is asked for: the last 30 days. */
const DEFAULT_PERIOD_MS = 30 * DAY_MS;

/** One line of the CSV export: an environment, a tier, a day, or everything together. */
type UsageRow = UsageFigures & {
  scope: 'environment' | 'tier' | 'day' | 'total';
  key: string;
  tier?: string;
};

// Ratios as percentages and hours with two decimals: what a spreadsheet user reads.
const percent = (ratio: number | undefined) =>
  ratio === undefined ? undefined : Math.round(ratio * 10_000) / 100;
const hours = (value: number | undefined) =>
  value === undefined ? undefined : Math.round(value * 100) / 100;

const USAGE_COLUMNS: CsvColumn<UsageRow>[] = [
  { header: 'scope', value: r => r.scope },
  { header: 'key', value: r => r.key },
  { header: 'tier', value: r => r.tier },
  { header: 'availability_percent', value: r => percent(r.availability) },
  { header: 'up_hours', value: r => hours(r.upHours) },
  { header: 'observed_hours', value: r => hours(r.observedHours) },
  { header: 'usage_percent', value: r => percent(r.usage) },
  { header: 'booked_slot_hours', value: r => hours(r.bookedSlotHours) },
  { header: 'bookable_slot_hours', value: r => hours(r.bookableSlotHours) },
  { header: 'idle_booked_hours', value: r => hours(r.idleBookedHours) },
  { header: 'approvals', value: r => r.approvals },
  {
    header: 'mean_approval_lead_hours',
    value: r => hours(r.meanApprovalLeadHours),
  },
  ...REFUSAL_KINDS.map(
    (kind): CsvColumn<UsageRow> => ({
      header: `refused_${kind}`,
      value: r => r.refusals[kind],
    }),
  ),
];

/** The report as CSV: every environment, every tier, every day, and the total. */
export function usageCsv(report: UsageReport): string {
  return toCsv(USAGE_COLUMNS, [
    ...report.environments.map(
      (e): UsageRow => ({ ...e, scope: 'environment', key: e.entityRef }),
    ),
    ...report.tiers.map(
      (t): UsageRow => ({ ...t, scope: 'tier', key: t.tier, tier: t.tier }),
    ),
    ...report.daily.map((d): UsageRow => ({ ...d, scope: 'day', key: d.date })),
    { ...report.total, scope: 'total', key: `${report.from}/${report.to}` },
  ]);
}

/**
 * Usage analytics, `GET /analytics/usage` and its CSV `GET /analytics/usage.csv` (any signed-in
 * user or service: the figures are no secret, and only environments the caller can see in the
 * catalog are counted), and the answer to an idle offer, `POST /bookings/{id}/keep` (the
 * booking's holders only).
 */
export function registerUsageRoutes(
  router: ReturnType<typeof createOpenApiRouter>,
  deps: {
    httpAuth: HttpAuthService;
    audited: Audited;
    analytics: AnalyticsService;
    idleRelease: IdleReleaseService;
  },
) {
  /** The report a usage request asks for, and its period. */
  async function usageOf(req: Request<any, any, any, any>) {
    const credentials = await deps.httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const now = new Date();
    const to = optionalDate(req.query.to, 'to') ?? now;
    const from =
      optionalDate(req.query.from, 'from') ??
      new Date(to.getTime() - DEFAULT_PERIOD_MS);
    return deps.analytics.usage(
      {
        ...checkedPeriod(from, to),
        tier: req.query.tier?.toLocaleLowerCase('en-US'),
        environmentRef: optionalEntityRef(
          req.query.environmentRef,
          'environmentRef',
        ),
      },
      credentials,
      now,
    );
  }

  router.get('/analytics/usage', async (req, res) => {
    res.json(await usageOf(req));
  });

  router.get('/analytics/usage.csv', async (req, res) => {
    const report = await usageOf(req);
    const day = (time: string) => time.slice(0, 10);
    res
      .type('text/csv; charset=utf-8')
      .attachment(`environment-usage-${day(report.from)}-${day(report.to)}.csv`)
      .send(usageCsv(report));
  });

  router.post('/bookings/:id/keep', async (req, res) => {
    const credentials = await deps.httpAuth.credentials(req, {
      allow: ['user'],
    });
    const booking = await deps.audited(
      'booking-keep',
      req,
      { bookingId: req.params.id },
      () => deps.idleRelease.keep(req.params.id, credentials),
    );
    res.json(toBookingResponse(booking));
  });
}
