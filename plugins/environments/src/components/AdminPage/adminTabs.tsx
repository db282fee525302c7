import { EnvironmentStateTab } from './EnvironmentStateTab';
import { PoliciesTab } from './PoliciesTab';

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
];
