import { createApiRef } from '@backstage/core-plugin-api';
import { Environment } from '@internal/plugin-environments-common';

/** Client of the environments backend. */
export interface EnvironmentsApi {
  /** All environments the user can see, or only those `entityRef` runs in. */
  listEnvironments(options?: { entityRef?: string }): Promise<Environment[]>;
}

export const environmentsApiRef = createApiRef<EnvironmentsApi>({
  id: 'plugin.environments.service',
});
