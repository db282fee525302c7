import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ENVIRONMENT_ENTITY_FILTER,
  readEnvironmentSettings,
} from '@internal/plugin-environments-common';
import { Knex } from 'knex';
import { listHoldingBookings } from '../database/bookingsStore';
import {
  deleteProbesBefore,
  getCurrentHealth,
  listRecentProbes,
  recordProbes,
  storeCurrentHealth,
} from '../database/healthStore';
import { EnvironmentSnapshot, toSnapshot } from '../domain/environments';
import { CurrentHealth, deriveHealth, healthChanged } from '../domain/health';
import { HealthCheckSettings } from './healthCheckConfig';
import { ProbeOutcome } from './healthProbe';
import { Notifier } from './Notifier';
import { eachWithLimit } from './eachWithLimit';

/** Probes read back to find when the current status began. */
const RECENT_PROBES = 10;

export interface HealthCheckRun {
  /** Environments probed. */
  probed: number;
  /** Environments whose status changed. */
  changed: number;
  /** Probes deleted as older than the retention. */
  deleted: number;
}

/**
 * Probes every environment that has a health-check URL, keeps the results, derives each one's
 * health and tells its owner group and current holders when the status changes (run by a
 * scheduled task, on one replica at a time).
 */
export class HealthChecksService {
  constructor(
    private readonly deps: {
      db: Knex;
      catalog: CatalogService;
      auth: AuthService;
      logger: LoggerService;
      notifier: Notifier;
      settings: HealthCheckSettings;
      probe: (url: string, timeoutMs: number) => Promise<ProbeOutcome>;
    },
  ) {}

  async run(): Promise<HealthCheckRun> {
    const { catalog, auth, db, settings } = this.deps;
    const credentials = await auth.getOwnServiceCredentials();
    const { items } = await catalog.getEntities(
      { filter: ENVIRONMENT_ENTITY_FILTER },
      { credentials },
    );
    const targets = items.flatMap(entity => {
      const url = readEnvironmentSettings(entity).healthCheckUrl;
      return url ? [{ snapshot: toSnapshot(entity), url }] : [];
    });
    const previous = await getCurrentHealth(
      db,
      targets.map(t => t.snapshot.entityRef),
    );

    let changed = 0;
    await eachWithLimit(targets, settings.concurrency, async target => {
      const ref = target.snapshot.entityRef;
      try {
        const health = await this.check(
          target.snapshot,
          target.url,
          previous.get(ref),
        );
        if (healthChanged(previous.get(ref), health)) {
          changed++;
          await this.notifyChange(target.snapshot, health);
        }
      } catch (error) {
        // One environment's failure (its row, say) must not stop the others' checks.
        this.deps.logger.warn(
          `Health check of ${ref} failed: ${(error as Error).message}`,
        );
      }
    });

    const retentionStart = new Date(
      Date.now() - settings.retentionDays * 24 * 3600_000,
    );
    const deleted = await deleteProbesBefore(db, retentionStart);
    return { probed: targets.length, changed, deleted };
  }

  /** Probes one environment, stores the result and its health now. */
  private async check(
    snapshot: EnvironmentSnapshot,
    url: string,
    previous: CurrentHealth | undefined,
  ): Promise<CurrentHealth> {
    const { db, settings } = this.deps;
    const at = new Date();
    const outcome = await this.deps.probe(url, settings.timeoutMs);
    await recordProbes(db, [
      { environmentRef: snapshot.entityRef, at, ...outcome },
    ]);
    const now = new Date();
    const health = deriveHealth(
      await listRecentProbes(db, snapshot.entityRef, RECENT_PROBES),
      now,
      settings,
      previous,
    );
    await storeCurrentHealth(db, snapshot, health, now);
    return health;
  }

  private async notifyChange(
    snapshot: EnvironmentSnapshot,
    health: CurrentHealth,
  ) {
    const now = new Date();
    const holders = await listHoldingBookings(
      this.deps.db,
      [snapshot.entityRef],
      now,
      new Date(now.getTime() + 1),
    );
    const recipients = new Set([
      ...(snapshot.ownerRef ? [snapshot.ownerRef] : []),
      ...holders.map(booking => booking.requesterRef),
    ]);
    const name = snapshot.title ?? snapshot.entityRef;
    const description = health.reason
      ? `${name} is ${health.status}: ${health.reason}.`
      : `${name} is ${health.status}.`;
    for (const recipient of recipients) {
      await this.deps.notifier.notify(
        recipient,
        `${name} is ${health.status}`,
        description,
        '/environments',
      );
    }
  }
}
