import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  authProvidersExtensionPoint,
  createProxyAuthenticator,
  createProxyAuthProviderFactory,
} from '@backstage/plugin-auth-node';

/**
 * Demo and local development only: a second guest-style sign-in, `demo-admin`, as the catalog
 * user `auth.providers.demo-admin.userEntityRef` names (the demo's platform admin), so that the
 * demo and its end-to-end tests can show the administration page beside the guest's view.
 * Like the guest provider it asks for no credentials, so it is registered only when the backend
 * runs in development (`yarn start`, the demo scripts) and the auth backend only serves it when
 * the config names it (app-config.demo.yaml does).
 */
export default createBackendModule({
  pluginId: 'auth',
  moduleId: 'environments-demo-admin-provider',
  register(reg) {
    reg.registerInit({
      deps: {
        providers: authProvidersExtensionPoint,
        logger: coreServices.logger,
      },
      async init({ providers, logger }) {
        if (process.env.NODE_ENV !== 'development') {
          logger.info('demo-admin sign-in is off outside development');
          return;
        }
        providers.registerProvider({
          providerId: 'demo-admin',
          factory: createProxyAuthProviderFactory({
            authenticator: createProxyAuthenticator({
              defaultProfileTransform: async () => ({ profile: {} }),
              initialize: ({ config }) => ({
                userEntityRef: config.getString('userEntityRef'),
              }),
              async authenticate(_request, context) {
                return { result: context };
              },
            }),
            signInResolver: async ({ result }, ctx) =>
              ctx.signInWithCatalogUser({ entityRef: result.userEntityRef }),
          }),
        });
      },
    });
  },
});
