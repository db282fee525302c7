import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import {
  deleteSloSnapshotsBefore,
  recordSloSnapshots,
} from '../database/sloSnapshotsStore';
import { snapshotsOf } from '../domain/sloHistory';
import { SloService } from './SloService';

export interface SloHistoryRun {
  /** SLOs evaluated (one per environment for SLOs scoped by one). */
  evaluated: number;
  /** Objective snapshots stored. */
  stored: number;
  /** SLOs without numbers now (source down, not configured): nothing stored for them. */
  skipped: number;
  /** Snapshots deleted as older than the retention. */
  deleted: number;
}

/**
 * Keeps the history of every SLO the plugin knows, for the DORA metrics' change failures and
 * restore times: evaluates each one (run by a scheduled task, on one replica at a time) and
 * stores a snapshot per objective.
 */
export class SloHistoryService {
  constructor(
    private readonly deps: {
      db: Knex;
      auth: AuthService;
      logger: LoggerService;
      slos: Pick<SloService, 'evaluateAll'>;
      retentionDays: number;
    },
  ) {}

  async run(now = new Date()): Promise<SloHistoryRun> {
    const { db, auth, slos, retentionDays } = this.deps;
    const credentials = await auth.getOwnServiceCredentials();
    const evaluated = await slos.evaluateAll(credentials, now.getTime());
    let skipped = 0;
    const snapshots = evaluated.flatMap(({ summary, ...where }) => {
      const taken = snapshotsOf(summary, where, now);
      if (taken.length === 0) {
        skipped++;
        this.deps.logger.debug(
          `No SLO snapshot of ${summary.name} of ${where.entityRef}: ${
            summary.source.reason ?? summary.source.status
          }`,
        );
      }
      return taken;
    });
    await recordSloSnapshots(db, snapshots);
    const deleted = await deleteSloSnapshotsBefore(
      db,
      new Date(now.getTime() - retentionDays * 24 * 3600_000),
    );
    return {
      evaluated: evaluated.length,
      stored: snapshots.length,
      skipped,
      deleted,
    };
  }
}
