import {
  coreServices,
  createBackendPlugin,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { environmentsPermissions } from '@internal/plugin-environments-common';
import {
  CiProvider,
  environmentsCiProvidersExtensionPoint,
  environmentsSliSourcesExtensionPoint,
  SliSource,
} from '@internal/plugin-environments-node';
import { connectDatabase } from './database/migrations';
import { createRouter } from './router';
import { notificationService } from '@backstage/plugin-notifications-node';
import { AuditService } from './services/AuditService';
import { BlackoutsService } from './services/BlackoutsService';
import { Notifier } from './services/Notifier';
import { WaitlistService } from './services/WaitlistService';
import { BookingsService } from './services/BookingsService';
import { EnvironmentsService } from './services/EnvironmentsService';
import { readPolicySet } from './services/policyConfig';
import { PoliciesService } from './services/PoliciesService';
import { EnvironmentStateService } from './services/EnvironmentStateService';
import { TeamService } from './services/TeamService';
import { SloService } from './services/SloService';
import { SloFiles } from './services/SloFiles';
import { readSloGatePolicy } from './services/sloGateConfig';
import { PipelinesService } from './services/PipelinesService';
import { StaleWhileRevalidate } from './services/StaleWhileRevalidate';
import { namingUnexpectedAnswers } from './services/unexpectedAnswers';
import { HealthChecksService } from './services/HealthChecksService';
import { readHealthCheckSettings } from './services/healthCheckConfig';
import { probeHealthCheckUrl } from './services/healthProbe';
import { DoraService } from './services/DoraService';
import { readDoraSettings } from './services/doraConfig';
import { SloHistoryService } from './services/SloHistoryService';
import { AnalyticsService } from './services/AnalyticsService';
import { IdleReleaseService } from './services/IdleReleaseService';

const DEFAULT_SYNC_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 2 },
  timeout: { minutes: 1 },
  // Let the catalog finish its first ingestion after a cold start.
  initialDelay: { seconds: 15 },
};

const DEFAULT_LIFECYCLE_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 1 },
  timeout: { seconds: 30 },
};

const DEFAULT_DEPLOYMENT_SYNC_SCHEDULE: SchedulerServiceTaskScheduleDefinition =
  {
    frequency: { minutes: 5 },
    timeout: { minutes: 4 },
    initialDelay: { seconds: 30 },
  };

const DEFAULT_SLO_HISTORY_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 5 },
  timeout: { minutes: 4 },
  initialDelay: { seconds: 30 },
};

const DEFAULT_HEALTH_CHECK_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 1 },
  timeout: { seconds: 50 },
};

/**
 * The timing configured at `key`, or the default. Only the timing: the scope stays the task's
 * own, since a configured schedule without one would otherwise reset it.
 */
function scheduleAt(
  config: RootConfigService,
  key: string,
  fallback: SchedulerServiceTaskScheduleDefinition,
): SchedulerServiceTaskScheduleDefinition {
  const configured = config.getOptionalConfig(key);
  if (!configured) return fallback;
  const { frequency, timeout, initialDelay } =
    readSchedulerServiceTaskScheduleDefinitionFromConfig(configured);
  return { frequency, timeout, initialDelay };
}

/** The environments backend plugin, mounted at `/api/environments`. */
export const environmentsPlugin = createBackendPlugin({
  pluginId: 'environments',
  register(env) {
    const ciProviders = new Map<string, CiProvider>();
    env.registerExtensionPoint(environmentsCiProvidersExtensionPoint, {
      addProvider(...providers) {
        for (const provider of providers) {
          if (ciProviders.has(provider.id)) {
            throw new Error(
              `A CI provider with id '${provider.id}' is already installed`,
            );
          }
          ciProviders.set(provider.id, namingUnexpectedAnswers(provider));
        }
      },
    });

    const sliSources = new Map<string, SliSource>();
    env.registerExtensionPoint(environmentsSliSourcesExtensionPoint, {
      addSource(...sources) {
        for (const source of sources) {
          if (sliSources.has(source.type)) {
            throw new Error(
              `An SLI source for '${source.type}' is already installed`,
            );
          }
          sliSources.set(source.type, source);
        }
      },
    });

    env.registerInit({
      deps: {
        auditor: coreServices.auditor,
        auth: coreServices.auth,
        cache: coreServices.cache,
        catalog: catalogServiceRef,
        config: coreServices.rootConfig,
        database: coreServices.database,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        logger: coreServices.logger,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        scheduler: coreServices.scheduler,
        userInfo: coreServices.userInfo,
        urlReader: coreServices.urlReader,
        notifications: notificationService,
      },
      async init({
        auditor,
        auth,
        cache,
        catalog,
        config,
        database,
        httpAuth,
        httpRouter,
        logger,
        permissions,
        permissionsRegistry,
        scheduler,
        userInfo,
        urlReader,
        notifications,
      }) {
        const db = await connectDatabase(database);
        const configuredPolicies = readPolicySet(config);
        const policies = new PoliciesService({
          db,
          catalog,
          permissions,
          configured: configuredPolicies,
        });
        const healthCheckSchedule = scheduleAt(
          config,
          'environments.healthChecks.schedule',
          DEFAULT_HEALTH_CHECK_SCHEDULE,
        );
        const healthCheckSettings = readHealthCheckSettings(
          config,
          healthCheckSchedule,
        );
        const environments = new EnvironmentsService({
          db,
          catalog,
          auth,
          logger,
          policies,
          healthChecks: healthCheckSettings.enabled
            ? { staleAfterMs: healthCheckSettings.staleAfterMs }
            : undefined,
        });
        const notifier = new Notifier({ notifications, logger });
        const waitlist = new WaitlistService({
          db,
          notifier,
          holdMinutes:
            config.getOptionalNumber('environments.waitlist.holdMinutes') ?? 30,
        });
        const bookings = new BookingsService({
          db,
          catalog,
          permissions,
          userInfo,
          policies,
          waitlist,
          notifier,
          logger,
          reminderMinutes:
            config.getOptionalNumber(
              'environments.reminders.beforeEndMinutes',
            ) ?? 60,
        });
        const idleRelease = new IdleReleaseService({
          db,
          policies,
          notifier,
          waitlist,
          userInfo,
          auditor,
          logger,
          graceMinutes:
            config.getOptionalNumber('environments.idleRelease.graceMinutes') ??
            60,
        });
        const analytics = new AnalyticsService({
          db,
          environments,
          probeCoverageMs: healthCheckSettings.staleAfterMs,
          defaultActivityWindowHours:
            config.getOptionalNumber(
              'environments.analytics.activityWindowHours',
            ) ?? 4,
        });
        permissionsRegistry.addPermissions(environmentsPermissions);
        const slos = new SloService({
          catalog,
          cache,
          logger,
          files: new SloFiles(urlReader),
          environments,
          sources: () => sliSources,
          gatePolicy: readSloGatePolicy(config),
        });
        const pipelines = new PipelinesService({
          db,
          catalog,
          auth,
          permissions,
          logger,
          cache: new StaleWhileRevalidate(cache, logger),
          syncStates: cache,
          environments,
          providers: () => ciProviders,
          rerunEnabled:
            config.getOptionalBoolean('environments.pipelines.allowRerun') ??
            false,
          referenceTier:
            config.getOptionalString('environments.pipelines.referenceTier') ??
            'prod',
        });

        await scheduler.scheduleTask({
          id: 'environments-catalog-sync',
          // One replica runs it per interval; the others skip.
          scope: 'global',
          ...scheduleAt(
            config,
            'environments.catalogSync.schedule',
            DEFAULT_SYNC_SCHEDULE,
          ),
          fn: async () => {
            await environments.syncFromCatalog();
          },
        });

        await scheduler.scheduleTask({
          id: 'environments-booking-lifecycle',
          scope: 'global',
          ...scheduleAt(
            config,
            'environments.bookingLifecycle.schedule',
            DEFAULT_LIFECYCLE_SCHEDULE,
          ),
          fn: async () => {
            const expired = await bookings.expireEnded();
            if (expired > 0) logger.info(`Expired ${expired} ended booking(s)`);
            const reminded = await bookings.sendReminders();
            if (reminded > 0)
              logger.info(`Reminded ${reminded} booking holder(s) of the end`);
            await waitlist.lapseHolds();
            const idle = await idleRelease.run();
            if (idle.offer + idle.release > 0) {
              logger.info(
                `Idle bookings: offered ${idle.offer} for release, released ${idle.release}`,
              );
            }
          },
        });

        await scheduler.scheduleTask({
          id: 'environments-deployment-sync',
          scope: 'global',
          ...scheduleAt(
            config,
            'environments.pipelines.deploymentSync.schedule',
            DEFAULT_DEPLOYMENT_SYNC_SCHEDULE,
          ),
          fn: async () => {
            if (ciProviders.size === 0) return;
            const synced = await pipelines.syncDeployments();
            logger.info(
              `Synced ${synced.deployments} deployment(s) of ${synced.entities} component(s)`,
            );
          },
        });

        const doraSettings = readDoraSettings(config);
        const sloHistory = new SloHistoryService({
          db,
          auth,
          logger,
          slos,
          retentionDays: doraSettings.sloHistoryRetentionDays,
        });
        await scheduler.scheduleTask({
          id: 'environments-slo-history',
          scope: 'global',
          ...scheduleAt(
            config,
            'environments.sloHistory.schedule',
            DEFAULT_SLO_HISTORY_SCHEDULE,
          ),
          fn: async () => {
            const run = await sloHistory.run();
            logger.info(
              `SLO history: ${run.stored} snapshot(s) of ${run.evaluated} SLO evaluation(s), ${run.skipped} without numbers, deleted ${run.deleted} past retention`,
            );
          },
        });

        if (healthCheckSettings.enabled) {
          const healthChecks = new HealthChecksService({
            db,
            catalog,
            auth,
            logger,
            notifier,
            settings: healthCheckSettings,
            probe: probeHealthCheckUrl,
          });
          await scheduler.scheduleTask({
            id: 'environments-health-checks',
            scope: 'global',
            ...healthCheckSchedule,
            fn: async () => {
              const run = await healthChecks.run();
              logger.info(
                `Health checks: probed ${run.probed} environment(s), ${run.changed} status change(s), deleted ${run.deleted} probe(s) past retention`,
              );
            },
          });
        }

        httpRouter.use(
          createRouter({
            httpAuth,
            auditor,
            environments,
            bookings,
            blackouts: new BlackoutsService({ db, permissions }),
            waitlist,
            audit: new AuditService({ db, permissions }),
            slos,
            pipelines,
            teams: new TeamService({
              db,
              catalog,
              environments,
              waitlist,
              slos,
              pipelines,
            }),
            analytics,
            idleRelease,
            policies,
            environmentStates: new EnvironmentStateService({
              db,
              catalog,
              permissions,
            }),
            ciProviderIds: () => [...ciProviders.keys()],
            dora: new DoraService({
              db,
              catalog,
              environments,
              settings: doraSettings,
              referenceTier:
                config.getOptionalString(
                  'environments.pipelines.referenceTier',
                ) ?? 'prod',
            }),
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
