import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import {
  Environment,
  Interval,
  UsageReport,
} from '@internal/plugin-environments-common';
import { Knex } from 'knex';
import {
  listApprovals,
  listDeploymentTimes,
  listProbesBetween,
  listRefusals,
  listStatusChanges,
} from '../database/analyticsStore';
import { listBlackouts } from '../database/blackoutsStore';
import { getEnvironmentStates } from '../database/environmentsStore';
import { listHoldingBookings } from '../database/bookingsStore';
import { statusIntervals, UsageFacts, usageReport } from '../domain/analytics';
import { appliesTo } from '../domain/blackouts';
import { byEnvironment, EnvironmentsService } from './EnvironmentsService';

const HOUR = 3600_000;

const interval = (record: { start: Date; end: Date }): Interval => ({
  start: record.start.getTime(),
  end: record.end.getTime(),
});

/** Usage analytics of the environments the caller can see, from what the plugin stores. */
export class AnalyticsService {
  constructor(
    private readonly deps: {
      db: Knex;
      environments: EnvironmentsService;
      /** How long a health probe speaks for without a later one: the health staleness window. */
      probeCoverageMs: number;
      /** Deployment activity window of environments without an idle-release policy, in hours. */
      defaultActivityWindowHours: number;
    },
  ) {}

  async usage(
    query: { from: Date; to: Date; tier?: string; environmentRef?: string },
    credentials: BackstageCredentials,
    now = new Date(),
  ): Promise<UsageReport> {
    const { db } = this.deps;
    const environments = (await this.deps.environments.list(credentials))
      .filter(e => !query.tier || e.tier === query.tier)
      .filter(
        e => !query.environmentRef || e.entityRef === query.environmentRef,
      );
    if (query.environmentRef && environments.length === 0) {
      throw new NotFoundError(
        `No environment ${query.environmentRef} in the catalog`,
      );
    }
    const refs = environments.map(e => e.entityRef);
    const windowMs = (e: Environment) =>
      (e.policy.idleReleaseHours ?? this.deps.defaultActivityWindowHours) *
      HOUR;
    const longestWindow = Math.max(0, ...environments.map(windowMs));
    // Probes and deployments just before the period still speak for its first moments.
    const since = (ms: number) => new Date(query.from.getTime() - ms);
    const [
      bookings,
      blackouts,
      probes,
      deployments,
      approvals,
      refusals,
      statusChanges,
      states,
    ] = await Promise.all([
      listHoldingBookings(db, refs, query.from, query.to, [
        'approved',
        'released',
        'expired',
      ]),
      listBlackouts(db, {
        environmentRefs: refs,
        tiers: [...new Set(environments.map(e => e.tier))],
        from: query.from,
        to: query.to,
      }),
      listProbesBetween(db, refs, since(this.deps.probeCoverageMs), query.to),
      listDeploymentTimes(db, refs, since(longestWindow), query.to),
      listApprovals(db, refs, query.from, query.to),
      listRefusals(db, refs, query.from, query.to),
      listStatusChanges(db, refs, query.to),
      getEnvironmentStates(db, refs),
    ]);
    const grouped = {
      bookings: byEnvironment(bookings),
      probes: byEnvironment(probes),
      deployments: byEnvironment(deployments),
      approvals: byEnvironment(approvals),
      refusals: byEnvironment(refusals),
      statusChanges: byEnvironment(statusChanges),
    };
    const period = { start: query.from.getTime(), end: query.to.getTime() };

    const facts = environments.map((e): UsageFacts => {
      const ref = e.entityRef;
      const own = blackouts.filter(b => appliesTo(b, e));
      const statuses = statusIntervals({
        changes: (grouped.statusChanges.get(ref) ?? []).map(c => ({
          ...c,
          at: c.at.getTime(),
        })),
        // The stored status: the list shows an environment inside a maintenance window as in
        // maintenance, which the windows below count already.
        current: {
          status: states.get(ref)?.status ?? 'available',
          since: states.get(ref)?.statusChangedAt.getTime(),
        },
        // The current status lasts until now, not into the future.
        period: { ...period, end: Math.min(period.end, now.getTime()) },
      });
      const inStatus = (status: Environment['status']) =>
        statuses.filter(i => i.status === status);
      return {
        environment: {
          entityRef: ref,
          title: e.title,
          tier: e.tier,
          capacity: e.capacity,
          bookable: e.bookable,
          firstSeenAt: e.firstSeenAt ? Date.parse(e.firstSeenAt) : undefined,
        },
        probes: (grouped.probes.get(ref) ?? []).map(p => ({
          at: p.at.getTime(),
          ok: p.ok,
        })),
        maintenance: [
          ...own.filter(b => b.kind === 'maintenance').map(interval),
          ...inStatus('maintenance'),
        ],
        closed: [
          ...own.filter(b => b.kind !== 'maintenance').map(interval),
          ...inStatus('retired'),
        ],
        bookings: (grouped.bookings.get(ref) ?? []).map(interval),
        deployments: (grouped.deployments.get(ref) ?? []).map(d =>
          d.at.getTime(),
        ),
        approvals: (grouped.approvals.get(ref) ?? []).map(a => ({
          requestedAt: a.requestedAt.getTime(),
          approvedAt: a.approvedAt.getTime(),
        })),
        refusals: (grouped.refusals.get(ref) ?? []).map(r => ({
          at: r.at.getTime(),
          kind: r.kind,
        })),
        activityWindowMs: windowMs(e),
      };
    });

    return {
      from: query.from.toISOString(),
      to: query.to.toISOString(),
      ...usageReport(facts, period, {
        probeCoverageMs: this.deps.probeCoverageMs,
      }),
    };
  }
}
