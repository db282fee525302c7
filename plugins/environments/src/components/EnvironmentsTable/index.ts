export { EnvironmentsTable, EnvironmentStatusLabel } from './EnvironmentsTable';
