import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  CiHttpClient,
  environmentsCiProvidersExtensionPoint,
} from '@internal/plugin-environments-node';
import { JenkinsCiProvider } from './JenkinsCiProvider';

/** Jenkins builds as a CI provider of the environments plugin. */
export const environmentsModuleJenkins = createBackendModule({
  pluginId: 'environments',
  moduleId: 'jenkins',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        ciProviders: environmentsCiProvidersExtensionPoint,
      },
      async init({ config, logger, ciProviders }) {
        const provider = JenkinsCiProvider.fromConfig(
          config,
          new CiHttpClient({
            timeoutMs:
              config.getOptionalNumber('environments.jenkins.timeoutMs') ??
              10_000,
          }),
        );
        if (!provider) {
          logger.info(
            'No environments.jenkins configured; Jenkins is not read',
          );
          return;
        }
        ciProviders.addProvider(provider);
      },
    });
  },
});
