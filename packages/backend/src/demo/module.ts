import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { writeDemoHistory } from './demoHistory';

/**
 * With `environments.demoData: true` (app-config.demo.yaml), gives the environments plugin's
 * database 14 days of generated history (see demoHistory.ts), so the usage charts of a fresh
 * demo are not empty. It waits for the plugin's tables and the catalog sync, then writes once.
 */
export default createBackendModule({
  pluginId: 'environments',
  moduleId: 'demo-history',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        database: coreServices.database,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
      },
      async init({ config, database, logger, scheduler }) {
        if (!config.getOptionalBoolean('environments.demoData')) return;
        let done = false;
        await scheduler.scheduleTask({
          id: 'environments-demo-history',
          scope: 'global',
          frequency: { seconds: 20 },
          timeout: { minutes: 1 },
          initialDelay: { seconds: 20 },
          fn: async () => {
            if (done) return;
            done = await writeDemoHistory(
              await database.getClient(),
              new Date(),
            );
            if (done) logger.info('Demo history is in place');
          },
        });
      },
    });
  },
});
