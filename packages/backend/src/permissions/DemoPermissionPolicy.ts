import { UserInfoService } from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  blackoutManagePermission,
  blackoutOverridePermission,
  bookingAdminPermission,
} from '@internal/plugin-environments-common';

/** Permissions only the platform team holds in the demo. */
const PLATFORM_PERMISSIONS = [
  bookingAdminPermission.name,
  blackoutManagePermission.name,
  blackoutOverridePermission.name,
];

/**
 * The demo portal's policy: everyone may read and book; acting on other people's bookings,
 * managing blackouts and booking through them is for members of the platform team, as the
 * catalog says.
 */
export class DemoPermissionPolicy implements PermissionPolicy {
  constructor(
    private readonly options: {
      userInfo: UserInfoService;
      adminGroupRef: string;
    },
  ) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (!PLATFORM_PERMISSIONS.includes(request.permission.name)) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (!user || user.credentials.principal === undefined) {
      return { result: AuthorizeResult.DENY };
    }
    const { ownershipEntityRefs } = await this.options.userInfo.getUserInfo(
      user.credentials,
    );
    return {
      result: ownershipEntityRefs.includes(this.options.adminGroupRef)
        ? AuthorizeResult.ALLOW
        : AuthorizeResult.DENY,
    };
  }
}
