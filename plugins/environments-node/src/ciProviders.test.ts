import {
  coreServices,
  createBackendModule,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { startTestBackend } from '@backstage/backend-test-utils';
import {
  CiProvider,
  environmentsCiProvidersExtensionPoint,
} from './ciProviders';

// How a provider module uses the extension point, exercised against a real (test) backend.
describe('environmentsCiProvidersExtensionPoint', () => {
  it('delivers the providers a module adds to the plugin that owns the extension point', async () => {
    const received: string[] = [];
    const owner = createBackendPlugin({
      pluginId: 'environments',
      register(env) {
        env.registerExtensionPoint(environmentsCiProvidersExtensionPoint, {
          addProvider: (...providers) =>
            received.push(...providers.map(provider => provider.id)),
        });
        env.registerInit({
          deps: { logger: coreServices.logger },
          async init() {},
        });
      },
    });
    const provider: CiProvider = {
      id: 'example-ci',
      appliesTo: () => true,
      getDefaultBranch: async () => 'main',
      listRuns: async () => ({ items: [] }),
      getRun: async () => {
        throw new Error('no runs');
      },
      listDeployments: async () => ({ items: [] }),
    };
    const module = createBackendModule({
      pluginId: 'environments',
      moduleId: 'example-ci',
      register(env) {
        env.registerInit({
          deps: { ciProviders: environmentsCiProvidersExtensionPoint },
          async init({ ciProviders }) {
            ciProviders.addProvider(provider);
          },
        });
      },
    });

    const backend = await startTestBackend({ features: [owner, module] });
    try {
      expect(received).toEqual(['example-ci']);
    } finally {
      await backend.stop();
    }
  });
});
