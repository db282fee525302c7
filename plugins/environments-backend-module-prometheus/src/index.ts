/**
 * Prometheus SLI source for the environments plugin.
 *
 * @packageDocumentation
 */
export { environmentsModulePrometheus as default } from './module';
export { PrometheusSliSource } from './PrometheusSliSource';
