import { parseEntityRef } from '@backstage/catalog-model';
import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  AuditEvent,
  Blackout,
  Booking,
  BookingConflictResponse,
  BookingList,
  BookingSeries,
  BookingStatus,
  CreateBookingRequest,
  CreateBlackoutRequest,
  CreateBookingSeriesRequest,
  DoraReport,
  EntityDeployments,
  EntitySlos,
  Environment,
  EnvironmentList,
  EnvironmentStateChange,
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
import {
  AuditFilter,
  BookingConflictError,
  DoraQuery,
  EnvironmentsApi,
  PolicyTarget,
  UsageQuery,
} from './EnvironmentsApi';

/** Talks to `/api/environments` with the signed-in user's token (through the fetch API). */
export class EnvironmentsClient implements EnvironmentsApi {
  constructor(
    private readonly deps: { discoveryApi: DiscoveryApi; fetchApi: FetchApi },
  ) {}

  async listEnvironments(
    options: { entityRef?: string } = {},
  ): Promise<Environment[]> {
    const query = new URLSearchParams();
    if (options.entityRef) query.set('entityRef', options.entityRef);
    const body = await this.request<EnvironmentList>(
      `/environments${query.size ? `?${query}` : ''}`,
    );
    return body.items;
  }

  async createBooking(request: CreateBookingRequest): Promise<Booking> {
    return this.request<Booking>('/bookings', {
      method: 'POST',
      body: request,
    });
  }

  async createBookingSeries(
    request: CreateBookingSeriesRequest,
  ): Promise<BookingSeries> {
    return this.request<BookingSeries>('/booking-series', {
      method: 'POST',
      body: request,
    });
  }

  async releaseBooking(id: string): Promise<Booking> {
    return this.request<Booking>(
      `/bookings/${encodeURIComponent(id)}/release`,
      {
        method: 'POST',
      },
    );
  }

  async keepBooking(id: string): Promise<Booking> {
    return this.request<Booking>(`/bookings/${encodeURIComponent(id)}/keep`, {
      method: 'POST',
    });
  }

  async getUsage(query: UsageQuery): Promise<UsageReport> {
    return this.request<UsageReport>(`/analytics/usage?${usageParams(query)}`);
  }

  async getUsageCsv(query: UsageQuery): Promise<string> {
    return this.request<string>(`/analytics/usage.csv?${usageParams(query)}`, {
      text: true,
    });
  }

  async cancelBooking(id: string): Promise<Booking> {
    return this.request<Booking>(`/bookings/${encodeURIComponent(id)}/cancel`, {
      method: 'POST',
    });
  }

  async listBookings(filter: {
    environmentRef?: string;
    requesterRef?: string;
    status?: BookingStatus[];
    from?: string;
    to?: string;
  }): Promise<Booking[]> {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(filter)) {
      if (value === undefined) continue;
      query.set(key, Array.isArray(value) ? value.join(',') : value);
    }
    const body = await this.request<BookingList>(`/bookings?${query}`);
    return body.items;
  }

  async extendBooking(id: string, end: string): Promise<Booking> {
    return this.request<Booking>(`/bookings/${encodeURIComponent(id)}/extend`, {
      method: 'POST',
      body: { end },
    });
  }

  async listBlackouts(filter: {
    from: string;
    to: string;
  }): Promise<Blackout[]> {
    const query = new URLSearchParams(filter);
    return (await this.request<{ items: Blackout[] }>(`/blackouts?${query}`))
      .items;
  }

  async createBlackout(request: CreateBlackoutRequest): Promise<Blackout> {
    return this.request<Blackout>('/blackouts', {
      method: 'POST',
      body: request,
    });
  }

  async updateBlackout(
    id: string,
    request: CreateBlackoutRequest,
  ): Promise<Blackout> {
    return this.request<Blackout>(`/blackouts/${encodeURIComponent(id)}`, {
      method: 'PUT',
      body: request,
    });
  }

  async deleteBlackout(id: string): Promise<void> {
    await this.request<void>(`/blackouts/${encodeURIComponent(id)}`, {
      method: 'DELETE',
    });
  }

  async forceReleaseBooking(id: string, reason: string): Promise<Booking> {
    return this.request<Booking>(
      `/bookings/${encodeURIComponent(id)}/force-release`,
      { method: 'POST', body: { reason } },
    );
  }

  async reassignBooking(
    id: string,
    request: ReassignBookingRequest,
  ): Promise<Booking> {
    return this.request<Booking>(
      `/bookings/${encodeURIComponent(id)}/reassign`,
      { method: 'POST', body: request },
    );
  }

  async listAuditEvents(
    filter: AuditFilter & { limit?: number; offset?: number },
  ): Promise<AuditEvent[]> {
    return (
      await this.request<{ items: AuditEvent[] }>(`/audit?${queryOf(filter)}`)
    ).items;
  }

  async getAuditCsv(filter: AuditFilter): Promise<string> {
    return this.request<string>(`/audit.csv?${queryOf(filter)}`, {
      text: true,
    });
  }

  async joinWaitlist(request: CreateBookingRequest): Promise<WaitlistEntry> {
    return this.request<WaitlistEntry>('/waitlist', {
      method: 'POST',
      body: request,
    });
  }

  async listMyWaitlist(): Promise<WaitlistEntry[]> {
    return (
      await this.request<{ items: WaitlistEntry[] }>(
        '/waitlist?requesterRef=me',
      )
    ).items;
  }

  async claimWaitlist(id: string): Promise<Booking> {
    return this.request<Booking>(`/waitlist/${encodeURIComponent(id)}/claim`, {
      method: 'POST',
    });
  }

  async leaveWaitlist(id: string): Promise<void> {
    await this.request<void>(`/waitlist/${encodeURIComponent(id)}/leave`, {
      method: 'POST',
    });
  }

  async decideBooking(
    id: string,
    decision: 'approve' | 'reject',
    note?: string,
  ): Promise<Booking> {
    return this.request<Booking>(
      `/bookings/${encodeURIComponent(id)}/${decision}`,
      {
        method: 'POST',
        body: note ? { note } : {},
      },
    );
  }

  async getEntitySlos(
    entityRef: string,
    environment?: string,
  ): Promise<EntitySlos> {
    const query = new URLSearchParams({ entityRef });
    if (environment) query.set('environment', environment);
    return this.request<EntitySlos>(`/slos?${query}`);
  }

  async getSloGate(
    entityRef: string,
    environment?: string,
  ): Promise<SloGateResult> {
    const query = new URLSearchParams({ entityRef });
    if (environment) query.set('environment', environment);
    return this.request<SloGateResult>(`/slos/gate?${query}`);
  }

  async getSloRollup(groupRef: string): Promise<SloRollup> {
    return this.request<SloRollup>(
      `/slos/rollup?${new URLSearchParams({ groupRef })}`,
    );
  }

  async getDoraMetrics(query: DoraQuery): Promise<DoraReport> {
    const params = new URLSearchParams({ entityRef: query.entityRef });
    for (const key of ['environment', 'from', 'to'] as const) {
      const value = query[key];
      if (value) params.set(key, value);
    }
    return this.request<DoraReport>(`/dora?${params}`);
  }

  async getPipelineSummary(entityRef: string): Promise<PipelineSummary> {
    return this.request<PipelineSummary>(
      `/pipelines?${new URLSearchParams({ entityRef })}`,
    );
  }

  async listPipelineRuns(
    entityRef: string,
    provider: string,
    options: { branch?: string; cursor?: string; limit?: number } = {},
  ): Promise<PipelineRunPage> {
    const query = new URLSearchParams({ entityRef, provider });
    if (options.branch) query.set('branch', options.branch);
    if (options.cursor) query.set('cursor', options.cursor);
    if (options.limit) query.set('limit', String(options.limit));
    return this.request<PipelineRunPage>(`/pipelines/runs?${query}`);
  }

  async getPipelineRun(
    entityRef: string,
    provider: string,
    runId: string,
  ): Promise<PipelineRunResponse> {
    return this.request<PipelineRunResponse>(
      `/pipelines/runs/${encodeURIComponent(provider)}/${encodeURIComponent(
        runId,
      )}?${new URLSearchParams({ entityRef })}`,
    );
  }

  async rerunPipeline(
    entityRef: string,
    provider: string,
    runId: string,
  ): Promise<void> {
    await this.request<void>(
      `/pipelines/runs/${encodeURIComponent(provider)}/${encodeURIComponent(
        runId,
      )}/rerun`,
      { method: 'POST', body: { entityRef } },
    );
  }

  async getEntityDeployments(entityRef: string): Promise<EntityDeployments> {
    return this.request<EntityDeployments>(
      `/deployments?${new URLSearchParams({ entityRef })}`,
    );
  }

  async getVersionMap(
    scope: { systemRef: string } | { environmentRef: string },
  ): Promise<VersionMap> {
    return this.request<VersionMap>(
      `/deployments/map?${new URLSearchParams(scope)}`,
    );
  }

  async getTeamOverview(group: {
    namespace: string;
    name: string;
  }): Promise<TeamOverview> {
    return this.request<TeamOverview>(`${teamPath(group)}/overview`);
  }

  async getTeamCalendar(group: {
    namespace: string;
    name: string;
  }): Promise<string> {
    return this.request<string>(`${teamPath(group)}/bookings.ics`, {
      text: true,
    });
  }

  async listPolicyScopes(): Promise<PolicyScopeEntry[]> {
    return (
      await this.request<{ items: PolicyScopeEntry[] }>('/admin/policies')
    ).items;
  }

  async putPolicy(
    target: PolicyTarget,
    update: PolicyUpdate,
  ): Promise<PolicyScopeEntry> {
    return this.request<PolicyScopeEntry>(policyPath(target), {
      method: 'PUT',
      body: update,
    });
  }

  async resetPolicy(target: PolicyTarget): Promise<PolicyScopeEntry> {
    return this.request<PolicyScopeEntry>(policyPath(target), {
      method: 'DELETE',
    });
  }

  async updateEnvironmentState(
    entityRef: string,
    change: EnvironmentStateChange,
  ): Promise<Environment> {
    return this.request<Environment>(
      `/admin/environments/${environmentPath(entityRef)}`,
      { method: 'PATCH', body: change },
    );
  }

  private async request<T>(
    path: string,
    options: {
      method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
      body?: unknown;
      /** The answer is text (a calendar), not JSON. */
      text?: boolean;
    } = {},
  ): Promise<T> {
    const baseUrl = await this.deps.discoveryApi.getBaseUrl('environments');
    const response = await this.deps.fetchApi.fetch(`${baseUrl}${path}`, {
      method: options.method ?? 'GET',
      ...(options.body !== undefined && {
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(options.body),
      }),
    });
    if (response.status === 409) {
      const body = await response
        .clone()
        .json()
        .catch(() => undefined);
      if (body?.conflicts)
        throw new BookingConflictError(body as BookingConflictResponse);
    }
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    if (options.text) return (await response.text()) as T;
    // 204 No Content has no body to parse.
    return (response.status === 204 ? undefined : await response.json()) as T;
  }
}

/** A usage query as URL parameters, leaving out what is not set. */
function usageParams(query: UsageQuery): URLSearchParams {
  return new URLSearchParams(
    Object.entries(query).filter(([, value]) => value !== undefined),
  );
}

/** `namespace/name` of an environment's entity ref, each part encoded for a path. */
function environmentPath(entityRef: string): string {
  const { namespace, name } = parseEntityRef(entityRef);
  return `${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`;
}

function policyPath(target: PolicyTarget): string {
  switch (target.scope) {
    case 'global':
      return '/admin/policies/global';
    case 'tier':
      return `/admin/policies/tiers/${encodeURIComponent(target.key)}`;
    default:
      return `/admin/policies/environments/${environmentPath(target.key)}`;
  }
}

function teamPath(group: { namespace: string; name: string }): string {
  return `/teams/${encodeURIComponent(group.namespace)}/${encodeURIComponent(
    group.name,
  )}`;
}

/** The query string of an audit filter, leaving out what is not set. */
function queryOf(filter: AuditFilter & { limit?: number; offset?: number }) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) {
    if (value !== undefined && value !== '') query.set(key, String(value));
  }
  return query;
}
