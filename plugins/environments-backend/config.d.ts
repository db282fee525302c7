import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  /** Configuration of the environments plugin. */
  environments?: {
    /**
     * How often the plugin copies the catalog's environments into its own tables, so that their
     * state (status, first seen, removal from the catalog) is kept. Defaults to every 2 minutes.
     */
    catalogSync?: {
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    };
    /**
     * How often ended bookings expire, holders are reminded of the end, and waitlist offers
     * lapse. Defaults to every minute.
     */
    bookingLifecycle?: {
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    };
    /**
     * Probes of each environment's health-check URL (annotation `tem.dev/health-check-url`).
     */
    healthChecks?: {
      /**
       * Whether environments with a health-check URL are probed and their health shown.
       * Default true.
       */
      enabled?: boolean;
      /** How often every environment is probed. Defaults to every minute. */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /** A probe without an answer for this long fails. Default 5000. */
      timeoutMs?: number;
      /** A 2xx answer slower than this makes the environment degraded. Default 2000. */
      slowMs?: number;
      /**
       * Health is unknown when the last probe is older than this. Default three intervals of
       * the schedule (15 minutes for a cron schedule).
       */
      staleAfterMinutes?: number;
      /** Days of probe history kept. Default 30. */
      retentionDays?: number;
      /** Probes in flight at once. Default 8. */
      concurrency?: number;
    };
    /**
     * Booking rules. For each setting the most specific level that sets it wins: an environment's
     * entry, then its tier's, then the global one. Unset limits do not apply.
     */
    bookingPolicies?: {
      global?: BookingPolicyConfig;
      tiers?: Array<BookingPolicyConfig & { tier: string }>;
      environments?: Array<BookingPolicyConfig & { entityRef: string }>;
    };
    /** The error-budget gate (`GET /slos/gate`). */
    sloGate?: {
      /** Deny when an objective has less budget left than this share. Default 0 (once spent). */
      minBudgetRemaining?: number;
      /** Deny while a page-severity burn-rate alert would fire. Default true. */
      denyOnFastBurn?: boolean;
      /** What an SLO without data decides. Default allow. */
      onNoData?: 'allow' | 'deny';
      /** What an SLO decides whose source is down with nothing known. Default allow. */
      onSourceUnavailable?: 'allow' | 'deny';
    };
    /** Pipelines and deployments from the installed CI provider modules. */
    pipelines?: {
      /** Lets users with `environments.pipeline.rerun` re-run pipelines. Default false. */
      allowRerun?: boolean;
      /** The tier whose environments are the reference for version drift. Default `prod`. */
      referenceTier?: string;
      /** How often recent deployments are synced from the providers. Default every 5 minutes. */
      deploymentSync?: {
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      };
    };
  };
}

interface BookingPolicyConfig {
  /** Longest booking, in hours. */
  maxDurationHours?: number;
  /** How many days ahead a booking may start. */
  maxAdvanceDays?: number;
  /** Minutes of notice a booking needs before its start. */
  minNoticeMinutes?: number;
  /** How often one booking may be extended. */
  maxExtensions?: number;
  /** Bookings wait for approval by a member of the environment's owner group. */
  requiresApproval?: boolean;
}
