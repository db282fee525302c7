/**
 * Annotation keys read from catalog entities.
 *
 * Environments are plain `kind: Resource` entities with `spec.type: environment`; these annotations
 * carry what the catalog model has no field for.
 */

/** Tier of an environment, e.g. `dev`, `test`, `staging`, `prod`. */
export const ANNOTATION_ENVIRONMENT_TIER = 'tem.dev/tier';
/** `"false"` marks an environment that can be seen but not booked. Defaults to bookable. */
export const ANNOTATION_ENVIRONMENT_BOOKABLE = 'tem.dev/bookable';
/** How many bookings may hold the environment at once: 1 (the default) is exclusive. */
export const ANNOTATION_ENVIRONMENT_CAPACITY = 'tem.dev/capacity';
/**
 * Components of a shared environment that can be booked one at a time, comma-separated
 * (`payments-api, component:default/checkout-web`).
 */
export const ANNOTATION_ENVIRONMENT_COMPONENTS = 'tem.dev/components';
/** URL probed to tell whether the environment is up. */
export const ANNOTATION_ENVIRONMENT_HEALTH_CHECK_URL =
  'tem.dev/health-check-url';
/** Path or glob of OpenSLO v1 files, relative to the entity's source location. */
export const ANNOTATION_SLO_FILES = 'openslo.dev/slo-files';

/** The `spec.type` of a Resource that is an environment. */
export const ENVIRONMENT_RESOURCE_TYPE = 'environment';
