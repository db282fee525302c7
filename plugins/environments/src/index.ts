/**
 * The environments frontend plugin: Environments page, Environments and SLOs entity tabs.
 * The new frontend system uses the `./alpha` entry point instead.
 *
 * @packageDocumentation
 */
export {
  environmentsPlugin,
  EnvironmentsPage,
  EntityEnvironmentsContent,
  EntitySlosContent,
  EntityTeamEnvironmentsContent,
  EnvironmentsAdminPage,
} from './plugin';
export { EnvironmentsAdminSidebarItem } from './components/AdminPage/EnvironmentsAdminSidebarItem';
export { environmentsApiRef, EnvironmentsClient } from './api';
export type { EnvironmentsApi } from './api';
export { isEnvironmentsAvailable } from './conditions';
