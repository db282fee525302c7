import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { DemoPermissionPolicy } from './DemoPermissionPolicy';

/** Installs the demo permission policy; the platform team is the admin group. */
export default createBackendModule({
  pluginId: 'permission',
  moduleId: 'environments-demo-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint, userInfo: coreServices.userInfo },
      async init({ policy, userInfo }) {
        policy.setPolicy(
          new DemoPermissionPolicy({
            userInfo,
            adminGroupRef: 'group:default/platform-team',
          }),
        );
      },
    });
  },
});
