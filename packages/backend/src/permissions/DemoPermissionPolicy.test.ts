import { mockCredentials } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  bookingAdminPermission,
  bookingCreatePermission,
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
});
