import { createApiRef } from '@backstage/core-plugin-api';
import {
  AuditEvent,
  Blackout,
  Booking,
  BookingConflictResponse,
  BookingSeries,
  BookingStatus,
  CreateBookingRequest,
  CreateBlackoutRequest,
  CreateBookingSeriesRequest,
  DoraReport,
  EntityDeployments,
  EntitySlos,
  Environment,
  EnvironmentStateChange,
  PolicyScope,
  PolicyScopeEntry,
  PolicyUpdate,
  PipelineRunPage,
  ReassignBookingRequest,
  PipelineRunResponse,
  PipelineSummary,
  VersionMap,
  SloGateResult,
  SloRollup,
  TeamOverview,
  UsageReport,
  WaitlistEntry,
} from '@internal/plugin-environments-common';

/** Thrown by `createBooking` when the slot is taken: who holds it and the next free slot. */
export class BookingConflictError extends Error {
  readonly conflicts: Booking[];
  readonly nextFreeSlot?: { start: string; end: string };

  constructor(response: BookingConflictResponse) {
    super(response.error.message);
    this.name = 'BookingConflictError';
    this.conflicts = response.conflicts;
    this.nextFreeSlot = response.nextFreeSlot;
  }
}

/** Whose DORA metrics, in which environment (name or ref; production tier when absent), when. */
export interface DoraQuery {
  entityRef: string;
  environment?: string;
  /** ISO 8601; the server defaults to the last 30 days. */
  from?: string;
  to?: string;
}

/** The period and selection of a usage report; times ISO 8601. */
export interface UsageQuery {
  from: string;
  to: string;
  tier?: string;
  environmentRef?: string;
}

/** Filters of the audit log; times ISO 8601, refs full entity refs. */
export interface AuditFilter {
  environmentRef?: string;
  actorRef?: string;
  action?: string;
  from?: string;
  to?: string;
}

/** A booking-policy scope, keyed as `PolicyScopeEntry` keys it. */
export interface PolicyTarget {
  scope: PolicyScope;
  /** `''` for global, the tier, or the environment's entity ref. */
  key: string;
}

/** Client of the environments backend. */
export interface EnvironmentsApi {
  /** All environments the user can see, or only those `entityRef` runs in. */
  listEnvironments(options?: { entityRef?: string }): Promise<Environment[]>;
  /** Books an environment; rejects with BookingConflictError when the slot is taken. */
  createBooking(request: CreateBookingRequest): Promise<Booking>;
  /** Books every occurrence of an RFC 5545 rule, or none (BookingConflictError). */
  createBookingSeries(
    request: CreateBookingSeriesRequest,
  ): Promise<BookingSeries>;
  /** Ends a running booking now. */
  releaseBooking(id: string): Promise<Booking>;
  /** Keeps a running booking that was offered for release as idle (its holders only). */
  keepBooking(id: string): Promise<Booking>;
  /** Withdraws a booking that has not started. */
  cancelBooking(id: string): Promise<Booking>;
  /** Bookings matching the filter, earliest first. */
  listBookings(filter: {
    environmentRef?: string;
    requesterRef?: 'me' | string;
    status?: BookingStatus[];
    from?: string;
    to?: string;
  }): Promise<Booking[]>;
  /** Moves a booking's end later. */
  extendBooking(id: string, end: string): Promise<Booking>;
  /** Blackouts and maintenance windows overlapping `[from, to)`. */
  listBlackouts(filter: { from: string; to: string }): Promise<Blackout[]>;
  /** Creates a blackout, or every occurrence of a recurring one (returns the first). */
  createBlackout(request: CreateBlackoutRequest): Promise<Blackout>;
  /** Replaces a blackout; for an occurrence of a series, it and the later ones. */
  updateBlackout(id: string, request: CreateBlackoutRequest): Promise<Blackout>;
  /** Deletes a blackout; for an occurrence of a series, it and the later ones. */
  deleteBlackout(id: string): Promise<void>;
  /** An admin ends someone's booking (released if running, else cancelled), saying why. */
  forceReleaseBooking(id: string, reason: string): Promise<Booking>;
  /** An admin gives a booking to another requester and/or team, saying why. */
  reassignBooking(
    id: string,
    request: ReassignBookingRequest,
  ): Promise<Booking>;
  /** A page of the audit log, newest first (admins only). */
  listAuditEvents(
    filter: AuditFilter & { limit?: number; offset?: number },
  ): Promise<AuditEvent[]>;
  /** The audit log matching the filter as CSV text, for a download (admins only). */
  getAuditCsv(filter: AuditFilter): Promise<string>;
  /** Queues for a taken slot. */
  joinWaitlist(request: CreateBookingRequest): Promise<WaitlistEntry>;
  /** The caller's waitlist entries. */
  listMyWaitlist(): Promise<WaitlistEntry[]>;
  /** Books the slot an offer holds for the caller. */
  claimWaitlist(id: string): Promise<Booking>;
  /** Gives up a place on the waitlist. */
  leaveWaitlist(id: string): Promise<void>;
  /** Approves or rejects a pending booking (owner group or admins). */
  decideBooking(
    id: string,
    decision: 'approve' | 'reject',
    note?: string,
  ): Promise<Booking>;
  /** An entity's SLOs evaluated now, for one of its environments or all together. */
  getEntitySlos(entityRef: string, environment?: string): Promise<EntitySlos>;
  /** The error-budget gate's decision for an entity (and environment). */
  getSloGate(entityRef: string, environment?: string): Promise<SloGateResult>;
  /** Every SLO of a group's components, least budget first. */
  getSloRollup(groupRef: string): Promise<SloRollup>;
  /** DORA metrics of a component, system or group over a period, from the stored data. */
  getDoraMetrics(query: DoraQuery): Promise<DoraReport>;
  /** The latest run per workflow and branch, per CI provider of the entity. */
  getPipelineSummary(entityRef: string): Promise<PipelineSummary>;
  /** One page of a provider's run history for the entity. */
  listPipelineRuns(
    entityRef: string,
    provider: string,
    options?: { branch?: string; cursor?: string; limit?: number },
  ): Promise<PipelineRunPage>;
  /** One run with its jobs. */
  getPipelineRun(
    entityRef: string,
    provider: string,
    runId: string,
  ): Promise<PipelineRunResponse>;
  /** Starts a run again (needs the re-run permission and re-runs switched on). */
  rerunPipeline(
    entityRef: string,
    provider: string,
    runId: string,
  ): Promise<void>;
  /** The deployments stored for the entity, and what runs where now. */
  getEntityDeployments(entityRef: string): Promise<EntityDeployments>;
  /** Components × environments → deployed version, for a system or one environment. */
  getVersionMap(
    scope: { systemRef: string } | { environmentRef: string },
  ): Promise<VersionMap>;
  /** Usage analytics of the environments over `[from, to)`, optionally of one tier or one. */
  getUsage(query: UsageQuery): Promise<UsageReport>;
  /** The same as CSV text, for a download. */
  getUsageCsv(query: UsageQuery): Promise<string>;
  /**
   * A group's view: the environments it owns, its members' bookings and waitlist places, its
   * components' SLOs and pipelines; child groups included.
   */
  getTeamOverview(group: {
    namespace: string;
    name: string;
  }): Promise<TeamOverview>;
  /** The RFC 5545 calendar of the bookings made for a group, as text. */
  getTeamCalendar(group: { namespace: string; name: string }): Promise<string>;
  /** Every booking-policy scope: its settings, their source, the policy in force (admins). */
  listPolicyScopes(): Promise<PolicyScopeEntry[]>;
  /** Stores a scope's policy in place of the configured one (admins). */
  putPolicy(
    target: PolicyTarget,
    update: PolicyUpdate,
  ): Promise<PolicyScopeEntry>;
  /** Deletes a scope's stored policy, so the configured one applies again (admins). */
  resetPolicy(target: PolicyTarget): Promise<PolicyScopeEntry>;
  /** Sets an environment's status and overrides of its catalog values (admins). */
  updateEnvironmentState(
    entityRef: string,
    change: EnvironmentStateChange,
  ): Promise<Environment>;
}

export const environmentsApiRef = createApiRef<EnvironmentsApi>({
  id: 'plugin.environments.service',
});
