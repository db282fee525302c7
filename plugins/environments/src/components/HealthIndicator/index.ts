export { HealthIndicator } from './HealthIndicator';
