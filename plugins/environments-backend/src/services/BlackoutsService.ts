import {
  BackstageCredentials,
  BackstageUserPrincipal,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import { blackoutManagePermission } from '@internal/plugin-environments-common';
import { requirePermission } from './permissions';
import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { insertAuditEvent } from '../database/auditStore';
import {
  deleteBlackout,
  getBlackout,
  insertBlackout,
  listBlackouts,
} from '../database/blackoutsStore';
import {
  parseNewBlackout,
  StoredBlackout,
  toBlackoutResponse,
} from '../domain/blackouts';

type UserCredentials = BackstageCredentials<BackstageUserPrincipal>;

/** Blackouts and maintenance windows, managed by holders of `environments.blackout.manage`. */
export class BlackoutsService {
  constructor(
    private readonly deps: { db: Knex; permissions: PermissionsService },
  ) {}

  async create(
    body: unknown,
    credentials: UserCredentials,
    now = new Date(),
  ): Promise<StoredBlackout> {
    const blackout = parseNewBlackout(body, now);
    await this.authorizeManage(credentials);
    return this.deps.db.transaction(async tx => {
      const created = await insertBlackout(
        tx,
        {
          ...blackout,
          id: randomUUID(),
          createdByRef: credentials.principal.userEntityRef,
        },
        now,
      );
      await this.audit(
        tx,
        'blackout-create',
        credentials,
        created,
        { after: created },
        now,
      );
      return created;
    });
  }

  async delete(
    id: string,
    credentials: UserCredentials,
    now = new Date(),
  ): Promise<void> {
    await this.authorizeManage(credentials);
    await this.deps.db.transaction(async tx => {
      const existing = await getBlackout(tx, id);
      if (!existing) throw new NotFoundError(`No blackout ${id}`);
      await deleteBlackout(tx, id);
      await this.audit(
        tx,
        'blackout-delete',
        credentials,
        existing,
        { before: existing },
        now,
      );
    });
  }

  async list(
    filter: Parameters<typeof listBlackouts>[1],
  ): Promise<StoredBlackout[]> {
    return listBlackouts(this.deps.db, filter);
  }

  private async audit(
    tx: Knex.Transaction,
    action: string,
    credentials: UserCredentials,
    subject: StoredBlackout,
    change: { before?: StoredBlackout; after?: StoredBlackout },
    now: Date,
  ) {
    await insertAuditEvent(tx, {
      at: now,
      actorRef: credentials.principal.userEntityRef,
      action,
      subjectType: 'blackout',
      subjectId: subject.id,
      environmentRef:
        subject.scope === 'environment' ? subject.scopeKey : undefined,
      before: change.before && toBlackoutResponse(change.before),
      after: change.after && toBlackoutResponse(change.after),
    });
  }

  private async authorizeManage(credentials: BackstageCredentials) {
    await requirePermission(
      this.deps.permissions,
      blackoutManagePermission,
      credentials,
      'You are not allowed to manage blackouts',
    );
  }
}
