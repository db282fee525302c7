import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  /** Configuration of the environments plugin. */
  environments?: {
    /**
     * How often the plugin copies the catalog's environments into its own tables, so that their
     * state (status, first seen, removal from the catalog) is kept. Defaults to every 2 minutes.
     */
    catalogSync?: {
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    };
  };
}
