import { Entity } from '@backstage/catalog-model';
import { Environment } from '@internal/plugin-environments-common';
import { EnvironmentsApi } from '../api';

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

/** An EnvironmentsApi that answers from a fixed list and records what it was asked. */
export function fakeEnvironmentsApi(environments: Environment[] | Error) {
  const calls: Array<{ entityRef?: string } | undefined> = [];
  const api: EnvironmentsApi = {
    async listEnvironments(options) {
      calls.push(options);
      if (environments instanceof Error) throw environments;
      return environments;
    },
  };
  return { api, calls };
}
