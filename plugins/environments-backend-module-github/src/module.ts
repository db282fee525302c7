import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { ScmIntegrations } from '@backstage/integration';
import {
  CiHttpClient,
  environmentsCiProvidersExtensionPoint,
} from '@internal/plugin-environments-node';
import { GithubCiProvider } from './GithubCiProvider';

/** GitHub Actions and GitHub deployments as a CI provider of the environments plugin. */
export const environmentsModuleGithub = createBackendModule({
  pluginId: 'environments',
  moduleId: 'github',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        ciProviders: environmentsCiProvidersExtensionPoint,
      },
      async init({ config, ciProviders }) {
        ciProviders.addProvider(
          new GithubCiProvider(
            ScmIntegrations.fromConfig(config),
            new CiHttpClient({
              timeoutMs:
                config.getOptionalNumber('environments.github.timeoutMs') ??
                10_000,
            }),
          ),
        );
      },
    });
  },
});
