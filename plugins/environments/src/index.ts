/**
 * The environments frontend plugin: Environments page, Environments and SLOs entity tabs, the
 * Group page's Environments tab.
 * The new frontend system uses the `./alpha` entry point instead.
 *
 * @packageDocumentation
 */
export {
  environmentsPlugin,
  EnvironmentsPage,
  EntityEnvironmentsContent,
  EntitySlosContent,
  EntityDoraContent,
  EntityTeamEnvironmentsContent,
  EnvironmentsAdminPage,
} from './plugin';
export { EnvironmentsAdminSidebarItem } from './components/AdminPage/EnvironmentsAdminSidebarItem';
export { UsageSection } from './components/UsageAnalytics';
export { DoraCard } from './components/EntityDoraContent';
export { environmentsApiRef, EnvironmentsClient } from './api';
export type { DoraQuery, EnvironmentsApi } from './api';
export { isEnvironmentsAvailable } from './conditions';
