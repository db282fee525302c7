export { EntityTeamEnvironmentsContent } from './EntityTeamEnvironmentsContent';
