/**
 * A real Prometheus with generated data, for tests of SLI sources and for the demo.
 *
 * @packageDocumentation
 */
export {
  demoFixture,
  incidentFixture,
  startPrometheus,
  writeOpenMetrics,
} from './prometheus';
export type { Fixture, FixtureSeries, RunningPrometheus } from './prometheus';
