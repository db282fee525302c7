import { Entity } from '@backstage/catalog-model';
import {
  AuditEvent,
  Blackout,
  Booking,
  burnRateWindows,
  CreateBookingRequest,
  CiRun,
  DoraReport,
  EntityDeployments,
  EntitySlos,
  Environment,
  evaluateBurnRates,
  PipelineSummary,
  PolicyScopeEntry,
  TeamOverview,
  UsageReport,
  VersionMap,
} from '@internal/plugin-environments-common';
import { DoraQuery, EnvironmentsApi, UsageQuery } from '../api';

/** An instant some minutes before the tests load, so that health ages read the same each run. */
const minutesAgo = (minutes: number) =>
  new Date(Date.now() - minutes * 60_000).toISOString();

export const qa1: Environment = {
  entityRef: 'resource:default/checkout-qa-1',
  name: 'checkout-qa-1',
  namespace: 'default',
  title: 'Checkout QA 1',
  tier: 'test',
  ownerRef: 'group:default/platform-team',
  systemRef: 'system:default/checkout',
  bookable: true,
  capacity: 1,
  status: 'available',
  upcomingBookings: [],
  policy: { requiresApproval: false },
  componentSlots: [],
  healthCheckUrl: 'https://checkout-qa-1.acme.test/healthz',
  health: { status: 'up', since: minutesAgo(180), checkedAt: minutesAgo(1) },
};

export const staging: Environment = {
  ...qa1,
  entityRef: 'resource:default/staging-eu',
  name: 'staging-eu',
  title: 'Staging EU',
  tier: 'staging',
  systemRef: undefined,
  capacity: 3,
  status: 'maintenance',
  healthCheckUrl: 'https://staging-eu.acme.test/healthz',
  health: {
    status: 'down',
    reason: 'answered 503',
    since: minutesAgo(10),
    checkedAt: minutesAgo(1),
  },
};

/** An environment without a health-check URL, hence without health. */
export const perfLab: Environment = {
  ...qa1,
  entityRef: 'resource:default/perf-lab',
  name: 'perf-lab',
  title: 'Perf Lab',
  tier: 'perf',
  healthCheckUrl: undefined,
  health: undefined,
};

export const component: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'payments-api',
    namespace: 'default',
    annotations: { 'openslo.dev/slo-files': './slo/*.yaml' },
  },
  spec: { type: 'service', owner: 'group:default/payments-team' },
};

export const booking: Booking = {
  id: 'b-1',
  environmentRef: qa1.entityRef,
  requesterRef: 'user:default/alice',
  title: 'Release 42 regression',
  purpose: 'testing',
  start: '2026-12-01T09:00:00.000Z',
  end: '2026-12-01T17:00:00.000Z',
  status: 'approved',
  originalEnd: '2026-12-01T17:00:00.000Z',
  extensionCount: 0,
  createdAt: '2026-11-27T09:00:00.000Z',
  updatedAt: '2026-11-27T09:00:00.000Z',
};

const DAY = 86_400_000;

/** SLOs as the backend evaluates them: one breached and burning, one file that is broken. */
/** A weekly freeze of Checkout QA 1, the first of a series. */
export const blackout: Blackout = {
  id: 'x-1',
  scope: 'environment',
  scopeKey: qa1.entityRef,
  kind: 'blackout',
  title: 'Release freeze',
  start: '2026-12-04T16:00:00.000Z',
  end: '2026-12-04T20:00:00.000Z',
  createdByRef: 'user:default/admin',
  createdAt: '2026-11-27T09:00:00.000Z',
  seriesId: 's-1',
  rrule: 'FREQ=WEEKLY;UNTIL=20261218T160000Z',
};

/** An admin's force release of alice's booking, as the audit log keeps it. */
export const auditEvent: AuditEvent = {
  id: 'a-1',
  at: '2026-11-27T10:00:00.000Z',
  actorRef: 'user:default/admin',
  action: 'booking-force-release',
  subjectType: 'booking',
  subjectId: booking.id,
  environmentRef: qa1.entityRef,
  adminOverride: true,
  reason: 'Needed for the incident',
  before: { status: 'approved' },
  after: { status: 'released' },
};

export const entitySlos: EntitySlos = {
  entityRef: 'component:default/payments-api',
  sloFiles: './slo/*.yaml',
  sources: ['prometheus'],
  environments: [
    { entityRef: qa1.entityRef, name: qa1.name, title: qa1.title },
    {
      entityRef: 'resource:default/prod-eu',
      name: 'prod-eu',
      title: 'Production EU',
    },
  ],
  items: [
    {
      name: 'payments-availability',
      displayName: 'Payments availability',
      description: 'Payment requests that do not fail.',
      file: 'slo/payments/availability.yaml',
      window: {
        duration: '30d',
        rolling: true,
        start: '2026-10-28T08:00:00.000Z',
        end: '2026-11-27T08:00:00.000Z',
      },
      budgetingMethod: 'Occurrences',
      environmentLabel: 'env',
      objectives: [
        {
          name: '99.9%',
          target: 0.999,
          sli: 0.99898046875,
          budgetRemaining: -0.01953125,
          // 6h/30m, 1d/2h and 3d/6h burning fast; 1h/5m quiet.
          burnRates: evaluateBurnRates(
            burnRateWindows(30 * DAY),
            0.999,
            windowMs => (windowMs === 5 * 60_000 ? 0.0005 : 0.02),
          ),
          timeToExhaustionMs: 0,
          status: 'breached',
          dataQuality: 'ok',
          series: [
            {
              time: '2026-11-20T08:00:00.000Z',
              sli: 0.9995,
              budgetRemaining: 0.5,
            },
            {
              time: '2026-11-27T08:00:00.000Z',
              sli: 0.99898046875,
              budgetRemaining: -0.01953125,
            },
          ],
        },
      ],
      status: 'breached',
      source: {
        type: 'prometheus',
        status: 'ok',
        asOf: '2026-11-27T08:00:00.000Z',
        queries: 2,
      },
    },
  ],
  problems: [
    {
      file: 'slo/payments/broken.yaml',
      line: 6,
      field: 'spec.budgetingMethod',
      message: 'must be one of Occurrences, Timeslices, RatioTimeslices',
    },
  ],
};

const run = (id: string, overrides: Partial<CiRun>): CiRun => ({
  provider: 'github',
  id,
  name: 'CI',
  branch: 'main',
  commitSha: 'abcdef1234567890abcdef1234567890abcdef12',
  commitMessage: 'Speed up card tokenisation',
  status: 'succeeded',
  createdAt: '2026-11-27T08:00:00Z',
  startedAt: '2026-11-27T08:00:00Z',
  durationMs: 6 * 60_000,
  url: `https://github.com/acme/payments-api/actions/runs/${id}`,
  ...overrides,
});

/** Pipelines of a component: GitHub fine, GitLab down with last known runs. */
export const pipelineSummary: PipelineSummary = {
  entityRef: 'component:default/payments-api',
  providers: [
    {
      provider: 'github',
      status: 'ok',
      asOf: '2026-11-27T08:59:00.000Z',
      defaultBranch: 'main',
      latest: [
        run('12', { status: 'failed', commitMessage: 'Retry declined cards' }),
        run('13', { name: 'Deploy', status: 'running', durationMs: undefined }),
        run('14', { branch: 'feature/wallets', commitMessage: 'Wallets' }),
      ],
    },
    {
      provider: 'gitlab',
      status: 'stale',
      reason: 'gitlab.com did not answer within 10000 ms',
      asOf: '2026-11-27T07:00:00.000Z',
      latest: [run('880', { provider: 'gitlab', name: 'checkout-web' })],
    },
  ],
};

/** What runs where for the component: staging is ahead of production. */
export const entityDeployments: EntityDeployments = {
  entityRef: 'component:default/payments-api',
  current: [
    {
      entityRef: 'component:default/payments-api',
      environmentRef: qa1.entityRef,
      version: '1.4.0',
      deployedAt: '2026-11-27T07:00:00.000Z',
      deployedBy: 'alice',
      provider: 'github',
      drift: {
        referenceEnvironmentRef: 'resource:default/prod-eu',
        referenceVersion: '1.3.2',
      },
    },
  ],
  items: [],
  sync: [{ provider: 'github', status: 'ok', asOf: '2026-11-27T08:55:00Z' }],
};

export const versionMap: VersionMap = {
  referenceTier: 'prod',
  components: [
    { entityRef: 'component:default/payments-api', title: 'Payments API' },
    { entityRef: 'component:default/ledger-service' },
  ],
  environments: [
    {
      entityRef: qa1.entityRef,
      name: qa1.name,
      title: qa1.title,
      tier: 'test',
    },
    {
      entityRef: 'resource:default/prod-eu',
      name: 'prod-eu',
      title: 'Production EU',
      tier: 'prod',
    },
  ],
  cells: [
    { ...entityDeployments.current[0] },
    {
      entityRef: 'component:default/payments-api',
      environmentRef: 'resource:default/prod-eu',
      version: '1.3.2',
      deployedAt: '2026-11-24T07:00:00.000Z',
      provider: 'github',
    },
  ],
  failedSyncs: [
    {
      entityRef: 'component:default/ledger-service',
      provider: 'jenkins',
      status: 'stale',
      reason: 'jenkins.acme.test answered 503',
      asOf: '2026-11-27T08:00:00.000Z',
    },
  ],
};

/**
 * The payments team's overview: QA 1 held by alice and used 42% of the last week, Perf Lab free,
 * a booking to come, bob second on a waitlist, an overspent and a healthy SLO, a red pipeline
 * and one whose CI system is down.
 */
export const teamOverview: TeamOverview = {
  groupRef: 'group:default/payments-team',
  groupRefs: ['group:default/payments-team'],
  memberRefs: ['user:default/alice', 'user:default/bob'],
  environments: [
    { environment: qa1, holders: [booking], utilisation: 0.42 },
    { environment: perfLab, holders: [], utilisation: 0 },
  ],
  bookings: {
    current: [booking],
    upcoming: [
      {
        ...booking,
        id: 'b-2',
        requesterRef: 'user:default/bob',
        title: 'Load test',
        environmentRef: perfLab.entityRef,
        start: '2026-12-03T09:00:00.000Z',
        end: '2026-12-03T12:00:00.000Z',
        status: 'pending',
      },
    ],
  },
  waitlist: [
    {
      id: 'w-1',
      environmentRef: staging.entityRef,
      requesterRef: 'user:default/bob',
      title: 'Release rehearsal',
      purpose: 'testing',
      start: '2026-12-04T09:00:00.000Z',
      end: '2026-12-04T17:00:00.000Z',
      status: 'waiting',
      position: 2,
      createdAt: '2026-11-27T09:00:00.000Z',
    },
  ],
  slos: {
    groupRef: 'group:default/payments-team',
    items: [
      {
        entityRef: 'component:default/payments-api',
        entityTitle: 'Payments API',
        slo: 'availability',
        sloTitle: 'Availability',
        objective: 'three-nines',
        target: 0.999,
        sli: 0.9971,
        budgetRemaining: -1.9,
        status: 'breached',
        source: 'ok',
      },
      {
        entityRef: 'component:default/ledger-service',
        slo: 'latency',
        objective: 'p99',
        target: 0.99,
        sli: 0.998,
        budgetRemaining: 0.8,
        status: 'healthy',
        source: 'stale',
      },
    ],
    problems: [],
  },
  pipelines: [
    {
      entityRef: 'component:default/payments-api',
      title: 'Payments API',
      status: 'failing',
      providers: [
        {
          ...pipelineSummary.providers[0],
          latest: pipelineSummary.providers[0].latest.slice(0, 2),
        },
      ],
    },
    {
      entityRef: 'component:default/checkout-web',
      status: 'unknown',
      providers: [
        {
          provider: 'gitlab',
          status: 'unavailable',
          reason: 'gitlab.com did not answer within 10000 ms',
          latest: [],
        },
      ],
    },
  ],
};

const noRefusals = { conflict: 0, policy: 0, blackout: 0, status: 0 };

/** The policy scopes of a portal whose config sets a global and a staging policy. */
export const policyScopes: PolicyScopeEntry[] = [
  {
    scope: 'global',
    key: '',
    source: 'config',
    settings: { maxAdvanceDays: 30 },
    configured: { maxAdvanceDays: 30 },
    effective: { maxAdvanceDays: 30, requiresApproval: false },
  },
  {
    scope: 'tier',
    key: 'staging',
    source: 'stored',
    settings: { maxDurationHours: 8, requiresApproval: true },
    configured: { maxDurationHours: 24 },
    effective: {
      maxDurationHours: 8,
      maxAdvanceDays: 30,
      requiresApproval: true,
    },
    updatedByRef: 'user:default/dave',
    updatedAt: '2026-11-26T09:00:00.000Z',
  },
  {
    scope: 'environment',
    key: 'resource:default/checkout-qa-1',
    tier: 'test',
    source: 'none',
    settings: {},
    effective: { maxAdvanceDays: 30, requiresApproval: false },
  },
];

/** A usage report of two test environments over two days. */
export const usageReport: UsageReport = {
  from: '2026-11-25T00:00:00.000Z',
  to: '2026-11-27T00:00:00.000Z',
  environments: [
    {
      entityRef: 'resource:default/qa-1',
      title: 'QA 1',
      tier: 'test',
      capacity: 1,
      activityWindowHours: 4,
      upHours: 45,
      observedHours: 48,
      availability: 0.9375,
      bookedSlotHours: 36,
      bookableSlotHours: 48,
      usage: 0.75,
      idleBookedHours: 12,
      approvals: 2,
      approvalLeadHours: 3,
      meanApprovalLeadHours: 1.5,
      refusals: { ...noRefusals, conflict: 2, policy: 1 },
    },
    {
      entityRef: 'resource:default/qa-2',
      tier: 'test',
      capacity: 1,
      activityWindowHours: 4,
      upHours: 0,
      observedHours: 0,
      bookedSlotHours: 0,
      bookableSlotHours: 48,
      usage: 0,
      idleBookedHours: 0,
      approvals: 0,
      approvalLeadHours: 0,
      refusals: noRefusals,
    },
  ],
  tiers: [
    {
      tier: 'test',
      environments: 2,
      upHours: 45,
      observedHours: 48,
      availability: 0.9375,
      bookedSlotHours: 36,
      bookableSlotHours: 96,
      usage: 0.375,
      idleBookedHours: 12,
      approvals: 2,
      approvalLeadHours: 3,
      meanApprovalLeadHours: 1.5,
      refusals: { ...noRefusals, conflict: 2, policy: 1 },
    },
  ],
  daily: [],
  total: {
    upHours: 45,
    observedHours: 48,
    availability: 0.9375,
    bookedSlotHours: 36,
    bookableSlotHours: 96,
    usage: 0.375,
    idleBookedHours: 12,
    approvals: 2,
    approvalLeadHours: 3,
    meanApprovalLeadHours: 1.5,
    refusals: { ...noRefusals, conflict: 2, policy: 1 },
  },
};

/**
 * An EnvironmentsApi that answers from a fixed list (or fails with the given error) and records
 * what it was asked; `createBooking` answers with `onCreate`.
 */
/** DORA metrics of the payments API in production over 30 days. */
export const doraReport: DoraReport = {
  entityRef: 'component:default/payments-api',
  kind: 'component',
  components: ['component:default/payments-api'],
  from: '2026-10-28T00:00:00.000Z',
  to: '2026-11-27T00:00:00.000Z',
  environments: [{ entityRef: 'resource:default/prod-eu', name: 'prod-eu' }],
  availableEnvironments: [
    { entityRef: 'resource:default/prod-eu', name: 'prod-eu', tier: 'prod' },
    {
      entityRef: 'resource:default/staging-eu',
      name: 'staging-eu',
      title: 'Staging EU',
      tier: 'staging',
    },
  ],
  metrics: [
    {
      key: 'deploymentFrequency',
      title: 'Deployment frequency',
      value: 0.4,
      unit: 'per-day',
      band: 'high',
      sampleSize: 12,
      sampleOf: 'successful deployments',
    },
    {
      key: 'leadTimeForChanges',
      title: 'Lead time for changes',
      value: 5.5,
      unit: 'hours',
      band: 'elite',
      sampleSize: 11,
      sampleOf: 'successful deployments with a known commit time',
    },
    {
      key: 'changeFailureRate',
      title: 'Change failure rate',
      value: 0.25,
      unit: 'ratio',
      band: 'low',
      sampleSize: 16,
      sampleOf: 'finished deployments',
      note: '4 failed',
    },
    {
      key: 'timeToRestore',
      title: 'Time to restore',
      unit: 'hours',
      sampleSize: 0,
      sampleOf: 'recovered failures',
    },
  ],
  changeFailureDefinition:
    'A deployment counts as a failed change when, within 24 hour(s) after it, it or the next deployment to the environment failed.',
  bandSource: 'DORA Accelerate State of DevOps Report 2023',
};

export function fakeEnvironmentsApi(
  environments: Environment[] | Error,
  onCreate: (request: CreateBookingRequest) => Promise<Booking> = async () =>
    booking,
  pending: Booking[] = [],
) {
  const calls: Array<{ entityRef?: string } | undefined> = [];
  const created: CreateBookingRequest[] = [];
  const released: string[] = [];
  const listed: unknown[] = [];
  const decided: Array<{ id: string; decision: string; note?: string }> = [];
  const sloRequests: Array<{ entityRef: string; environment?: string }> = [];
  const runPages: Array<{ provider: string; cursor?: string }> = [];
  const reruns: string[] = [];
  const kept: string[] = [];
  const usageQueries: UsageQuery[] = [];
  const doraQueries: DoraQuery[] = [];
  /** Administration calls, each as its method name and arguments. */
  const adminCalls: unknown[][] = [];
  const api: EnvironmentsApi = {
    async listEnvironments(options) {
      calls.push(options);
      if (environments instanceof Error) throw environments;
      return environments;
    },
    async createBooking(request) {
      created.push(request);
      return onCreate(request);
    },
    async createBookingSeries(request) {
      created.push(request);
      const first = await onCreate(request);
      return { seriesId: 's-1', items: [first] };
    },
    async releaseBooking(id) {
      released.push(id);
      return { ...booking, id, status: 'released' };
    },
    async keepBooking(id) {
      kept.push(id);
      return { ...booking, id };
    },
    async getUsage(query) {
      usageQueries.push(query);
      return usageReport;
    },
    async getUsageCsv(query) {
      usageQueries.push(query);
      return 'scope,key\r\ntotal,all\r\n';
    },
    async cancelBooking(id) {
      return { ...booking, id, status: 'cancelled' };
    },
    async listBookings(filter) {
      listed.push(filter);
      return pending;
    },
    async extendBooking(id, end) {
      return { ...booking, id, end, extensionCount: 1 };
    },
    async listBlackouts() {
      return [];
    },
    async createBlackout(request) {
      adminCalls.push(['createBlackout', request]);
      return { ...blackout, ...request, id: 'x-new' };
    },
    async updateBlackout(id, request) {
      adminCalls.push(['updateBlackout', id, request]);
      return { ...blackout, ...request, id };
    },
    async deleteBlackout(id) {
      adminCalls.push(['deleteBlackout', id]);
    },
    async forceReleaseBooking(id, reason) {
      adminCalls.push(['forceReleaseBooking', id, reason]);
      return { ...booking, id, status: 'released' };
    },
    async reassignBooking(id, request) {
      adminCalls.push(['reassignBooking', id, request]);
      return { ...booking, ...request, id };
    },
    async listAuditEvents(filter) {
      adminCalls.push(['listAuditEvents', filter]);
      return [auditEvent];
    },
    async getAuditCsv(filter) {
      adminCalls.push(['getAuditCsv', filter]);
      return 'at,actor\r\n';
    },
    async joinWaitlist(request) {
      return {
        id: 'w-1',
        ...request,
        requesterRef: 'user:default/alice',
        status: 'waiting',
        position: 1,
        createdAt: booking.createdAt,
      };
    },
    async listMyWaitlist() {
      return [];
    },
    async claimWaitlist(id) {
      return { ...booking, id };
    },
    async leaveWaitlist() {},
    async decideBooking(id, decision, note) {
      decided.push({ id, decision, note });
      return {
        ...booking,
        id,
        status: decision === 'approve' ? 'approved' : 'rejected',
      };
    },
    async getEntitySlos(entityRef, environment) {
      sloRequests.push({ entityRef, environment });
      return entitySlos;
    },
    async getSloGate(entityRef, environment) {
      return {
        entityRef,
        environment,
        decision: 'deny',
        reasons: ['budget exhausted'],
        evaluatedAt: '2026-11-27T08:00:00.000Z',
        slos: [],
      };
    },
    async getSloRollup(groupRef) {
      return { groupRef, items: [], problems: [] };
    },
    async getDoraMetrics(query) {
      doraQueries.push(query);
      return { ...doraReport, entityRef: query.entityRef };
    },
    async getPipelineSummary() {
      return pipelineSummary;
    },
    async listPipelineRuns(entityRef, provider, options) {
      runPages.push({ provider, cursor: options?.cursor });
      return options?.cursor
        ? {
            entityRef,
            source: pipelineSummary.providers[0],
            items: [run('9', { commitMessage: 'An older change' })],
          }
        : {
            entityRef,
            source: pipelineSummary.providers[0],
            items: pipelineSummary.providers[0].latest,
            nextCursor: '2',
          };
    },
    async getPipelineRun(entityRef) {
      return { entityRef, source: pipelineSummary.providers[0] };
    },
    async rerunPipeline(_entityRef, provider, runId) {
      reruns.push(`${provider}:${runId}`);
    },
    async getEntityDeployments() {
      return entityDeployments;
    },
    async getVersionMap() {
      return versionMap;
    },
    async getTeamOverview() {
      if (environments instanceof Error) throw environments;
      return teamOverview;
    },
    async getTeamCalendar() {
      return 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n';
    },
    async listPolicyScopes() {
      adminCalls.push(['listPolicyScopes']);
      return policyScopes;
    },
    async putPolicy(target, update) {
      adminCalls.push(['putPolicy', target, update]);
      const entry = policyScopes.find(
        e => e.scope === target.scope && e.key === target.key,
      )!;
      return { ...entry, source: 'stored', settings: update.policy };
    },
    async resetPolicy(target) {
      adminCalls.push(['resetPolicy', target]);
      const entry = policyScopes.find(
        e => e.scope === target.scope && e.key === target.key,
      )!;
      return { ...entry, source: 'config', settings: entry.configured ?? {} };
    },
    async updateEnvironmentState(entityRef, change) {
      adminCalls.push(['updateEnvironmentState', entityRef, change]);
      if (environments instanceof Error) throw environments;
      const environment = environments.find(e => e.entityRef === entityRef)!;
      return { ...environment, status: change.status ?? environment.status };
    },
  };
  return {
    api,
    calls,
    created,
    released,
    listed,
    decided,
    sloRequests,
    runPages,
    reruns,
    kept,
    usageQueries,
    adminCalls,
    doraQueries,
  };
}
