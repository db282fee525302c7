export { EnvironmentsAdminPage } from './EnvironmentsAdminPage';
export { EnvironmentsAdminSidebarItem } from './EnvironmentsAdminSidebarItem';
