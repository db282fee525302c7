import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { ScmIntegrations } from '@backstage/integration';
import {
  CiHttpClient,
  environmentsCiProvidersExtensionPoint,
} from '@internal/plugin-environments-node';
import { GitlabCiProvider } from './GitlabCiProvider';

/** GitLab CI pipelines and GitLab deployments as a CI provider of the environments plugin. */
export const environmentsModuleGitlab = createBackendModule({
  pluginId: 'environments',
  moduleId: 'gitlab',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        ciProviders: environmentsCiProvidersExtensionPoint,
      },
      async init({ config, ciProviders }) {
        ciProviders.addProvider(
          new GitlabCiProvider(
            ScmIntegrations.fromConfig(config),
            new CiHttpClient({
              timeoutMs:
                config.getOptionalNumber('environments.gitlab.timeoutMs') ??
                10_000,
            }),
          ),
        );
      },
    });
  },
});
