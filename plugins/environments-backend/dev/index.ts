// Runs the plugin alone against an in-memory catalog: `yarn workspace @internal/plugin-environments-backend start`.
import { createBackend } from '@backstage/backend-defaults';
import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';

const backend = createBackend();
backend.add(mockServices.auth.factory());
backend.add(mockServices.httpAuth.factory());
backend.add(
  catalogServiceMock.factory({
    entities: [
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Resource',
        metadata: { name: 'qa-1', annotations: { 'tem.dev/tier': 'qa' } },
        spec: { type: 'environment', owner: 'group:default/platform' },
      },
    ],
  }),
);
backend.add(import('../src'));
backend.start();
