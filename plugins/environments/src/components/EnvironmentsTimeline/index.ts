export { EnvironmentsTimeline } from './EnvironmentsTimeline';
