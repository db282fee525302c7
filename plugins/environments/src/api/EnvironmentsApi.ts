import { createApiRef } from '@backstage/core-plugin-api';
import {
  Blackout,
  Booking,
  BookingConflictResponse,
  BookingSeries,
  BookingStatus,
  CreateBookingRequest,
  CreateBookingSeriesRequest,
  EntityDeployments,
  EntitySlos,
  Environment,
  PipelineRunPage,
  PipelineRunResponse,
  PipelineSummary,
  VersionMap,
  SloGateResult,
  SloRollup,
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
}

export const environmentsApiRef = createApiRef<EnvironmentsApi>({
  id: 'plugin.environments.service',
});
