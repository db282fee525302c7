export { UsageSection } from './UsageSection';
export { UsageChart } from './UsageChart';
