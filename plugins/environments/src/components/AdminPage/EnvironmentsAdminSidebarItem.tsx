import { SidebarItem } from '@backstage/core-components';
import { bookingAdminPermission } from '@internal/plugin-environments-common';
import { usePermission } from '@backstage/plugin-permission-react';
import AdminIcon from '@material-ui/icons/Settings';

/** Sidebar link to the administration page, shown only to holders of the admin permission. */
export function EnvironmentsAdminSidebarItem({
  to = 'environments-admin',
}: {
  to?: string;
}) {
  const { allowed } = usePermission({ permission: bookingAdminPermission });
  return allowed ? (
    <SidebarItem icon={AdminIcon} to={to} text="Environments admin" />
  ) : null;
}
