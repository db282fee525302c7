import { EnvironmentStateTab } from './EnvironmentStateTab';
import { AuditLogTab } from './AuditLogTab';
import { BlackoutsAdminTab } from './BlackoutsAdminTab';
import { BookingsAdminTab } from './BookingsAdminTab';
import { PoliciesTab } from './PoliciesTab';
import { UsageSection } from '../UsageAnalytics';

/** One tab of the administration page; `path` is relative to the page (`/environments-admin`). */
export type AdminTab = { path: string; title: string; element: JSX.Element };

/** The administration page's tabs, in order. Add an area with one line here. */
export const adminTabs: AdminTab[] = [
  { path: '/', title: 'Policies', element: <PoliciesTab /> },
  {
    path: '/environments',
    title: 'Environments',
    element: <EnvironmentStateTab />,
  },
  { path: '/bookings', title: 'Bookings', element: <BookingsAdminTab /> },
  { path: '/blackouts', title: 'Blackouts', element: <BlackoutsAdminTab /> },
  { path: '/audit', title: 'Audit log', element: <AuditLogTab /> },
  { path: '/usage', title: 'Usage', element: <UsageSection title="Usage" /> },
];
