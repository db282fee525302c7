import { Entity } from '@backstage/catalog-model';
import { Environment } from '@internal/plugin-environments-common';
import { EnvironmentsApi } from '../api';
import {
  Booking,
  CreateBookingRequest,
} from '@internal/plugin-environments-common';

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

/**
 * An EnvironmentsApi that answers from a fixed list (or fails with the given error) and records
 * what it was asked; `createBooking` answers with `onCreate`.
 */
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
  };
  return { api, calls, created, released, listed, decided };
}
