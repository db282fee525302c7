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
    /** Idle release of bookings, where a policy sets `idleReleaseHours`. */
    idleRelease?: {
      /** Minutes an idle booking's release offer waits for its holder to keep it. Default 60. */
      graceMinutes?: number;
    };
    /** Usage analytics (`GET /analytics/usage`). */
    analytics?: {
      /**
       * Hours after a deployment during which an environment counts as in use, for idle booked
       * time, where no policy sets `idleReleaseHours` (which is used instead). Default 4.
       */
      activityWindowHours?: number;
    };
    /**
     * Probes of each environment's health-check URL (annotation `tem.dev/health-check-url`).
     */
    /** The SLO history the DORA metrics read fast burns and breaches from. */
    sloHistory?: {
      /** How often every SLO is evaluated and stored. Defaults to every 5 minutes. */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /** Days of SLO snapshots kept. Default 90. */
      retentionDays?: number;
    };
    /** DORA metrics (`GET /dora`, the Delivery tab). */
    dora?: {
      /** What counts as a failed change. */
      changeFailure?: {
        /** Hours after a deployment in which a signal makes it a failed change. Default 24. */
        windowHours?: number;
        /**
         * Which signals count: `failed-deployment` (it or the next deployment failed),
         * `rollback` (a later deployment of an earlier version), `slo-fast-burn` (an SLO of the
         * component began burning fast). Default all three.
         */
        signals?: Array<'failed-deployment' | 'rollback' | 'slo-fast-burn'>;
      };
    };
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
     * entry, then its tier's, then the global one. Unset limits do not apply. An administrator
     * can store a policy for any level on the administration page; it replaces the configured
     * entry of that level as a whole until it is reset, so these stay the defaults.
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
  /**
   * A running booking without a deployment to its environment for this many hours is offered
   * for release to its holder, and released after `environments.idleRelease.graceMinutes`
   * unless kept.
   */
  idleReleaseHours?: number;
}
