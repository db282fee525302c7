import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { environmentsSliSourcesExtensionPoint } from '@internal/plugin-environments-node';
import { PrometheusSliSource } from './PrometheusSliSource';

/** Adds Prometheus, as configured at `environments.prometheus`, as an SLI source. */
export const environmentsModulePrometheus = createBackendModule({
  pluginId: 'environments',
  moduleId: 'prometheus',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        sliSources: environmentsSliSourcesExtensionPoint,
      },
      async init({ config, logger, sliSources }) {
        const source = PrometheusSliSource.fromConfig(config);
        if (!source) {
          logger.info(
            'No environments.prometheus configured; SLOs will show that no SLI source is set up',
          );
          return;
        }
        sliSources.addSource(source);
      },
    });
  },
});
