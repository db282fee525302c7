import { mockCredentials } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  bookingAdminPermission,
  bookingCreatePermission,
  environmentsPermissions,
} from '@internal/plugin-environments-common';
import { DemoPermissionPolicy } from './DemoPermissionPolicy';

const memberships: Record<string, string[]> = {
  'user:default/alice': ['group:default/platform-team'],
  'user:default/guest': ['group:default/payments-team'],
};

const policy = new DemoPermissionPolicy({
  adminGroupRef: 'group:default/platform-team',
  userInfo: {
    async getUserInfo(credentials: any) {
      const userEntityRef = credentials.principal.userEntityRef;
      return {
        userEntityRef,
        ownershipEntityRefs: [userEntityRef, ...memberships[userEntityRef]],
      };
    },
  },
});

const as = (userEntityRef: string) => ({
  credentials: mockCredentials.user(userEntityRef),
  info: { userEntityRef, ownershipEntityRefs: [] },
});

describe('DemoPermissionPolicy', () => {
  it('lets everyone book', async () => {
    const decision = await policy.handle(
      { permission: bookingCreatePermission },
      as('user:default/guest'),
    );
    expect(decision.result).toBe(AuthorizeResult.ALLOW);
  });

  it('keeps the admin permissions for the platform team', async () => {
    const request = { permission: bookingAdminPermission };
    expect(
      (await policy.handle(request, as('user:default/alice'))).result,
    ).toBe(AuthorizeResult.ALLOW);
    expect(
      (await policy.handle(request, as('user:default/guest'))).result,
    ).toBe(AuthorizeResult.DENY);
    expect((await policy.handle(request)).result).toBe(AuthorizeResult.DENY);
  });

  // The rules plugins/environments-backend/src/permissionMatrix.test.ts mirrors, for every
  // permission of the plugin: platform ones for the platform team, the rest for everyone.
  it('grants exactly the platform permissions to the platform team alone', async () => {
    const decisions: Record<string, string[]> = {};
    for (const permission of environmentsPermissions) {
      decisions[permission.name] = [
        (await policy.handle({ permission }, as('user:default/alice'))).result,
        (await policy.handle({ permission }, as('user:default/guest'))).result,
        (await policy.handle({ permission })).result,
      ];
    }
    const platformOnly = [
      AuthorizeResult.ALLOW,
      AuthorizeResult.DENY,
      AuthorizeResult.DENY,
    ];
    const everyone = [
      AuthorizeResult.ALLOW,
      AuthorizeResult.ALLOW,
      AuthorizeResult.ALLOW,
    ];
    expect(decisions).toEqual({
      'environments.booking.create': everyone,
      'environments.booking.admin': platformOnly,
      'environments.blackout.manage': platformOnly,
      'environments.blackout.override': platformOnly,
      'environments.pipeline.rerun': everyone,
    });
  });
});
