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
  deleteBlackouts,
  getBlackout,
  insertBlackout,
  listBlackouts,
  listSeriesOccurrences,
} from '../database/blackoutsStore';
import {
  auditedBlackout,
  NewBlackout,
  parseNewBlackout,
  StoredBlackout,
} from '../domain/blackouts';

type UserCredentials = BackstageCredentials<BackstageUserPrincipal>;

/**
 * Blackouts and maintenance windows, managed by holders of `environments.blackout.manage`. A
 * recurring one is stored as one row per occurrence sharing a series id, so the booking check
 * and every list see each occurrence without knowing about rules.
 */
export class BlackoutsService {
  constructor(
    private readonly deps: { db: Knex; permissions: PermissionsService },
  ) {}

  /** Creates a blackout, or every occurrence of a recurring one; returns the first. */
  async create(
    body: unknown,
    credentials: UserCredentials,
    now = new Date(),
  ): Promise<StoredBlackout> {
    const blackout = parseNewBlackout(body, now);
    await this.authorizeManage(credentials);
    return this.deps.db.transaction(async tx => {
      const created = await this.insertOccurrences(tx, blackout, {
        id: randomUUID(),
        seriesId: blackout.rrule ? randomUUID() : undefined,
        createdByRef: credentials.principal.userEntityRef,
        createdAt: now,
      });
      await this.audit(tx, 'blackout-create', credentials, {
        after: created,
        now,
      });
      return created[0];
    });
  }

  /**
   * Replaces a blackout by the one the body describes, keeping its id. For an occurrence of a
   * recurring blackout the edit applies to it and the later occurrences of its series, as
   * calendars do for "this and following events"; earlier occurrences stay as they were. Its
   * creator and creation time stay; the audit log has who edited it.
   */
  async update(
    id: string,
    body: unknown,
    credentials: UserCredentials,
    now = new Date(),
  ): Promise<StoredBlackout> {
    const blackout = parseNewBlackout(body, now);
    await this.authorizeManage(credentials);
    return this.deps.db.transaction(async tx => {
      const { existing, replaced } = await this.thisAndFollowing(tx, id);
      await deleteBlackouts(
        tx,
        replaced.map(b => b.id),
      );
      const updated = await this.insertOccurrences(tx, blackout, {
        id,
        // Still recurring: the new occurrences stay in the series of the earlier ones.
        seriesId: blackout.rrule
          ? existing.seriesId ?? randomUUID()
          : undefined,
        createdByRef: existing.createdByRef,
        createdAt: existing.createdAt,
      });
      await this.audit(tx, 'blackout-update', credentials, {
        before: replaced,
        after: updated,
        now,
      });
      return updated[0];
    });
  }

  /** Deletes a blackout; for an occurrence of a recurring one, also the later ones. */
  async delete(
    id: string,
    credentials: UserCredentials,
    now = new Date(),
  ): Promise<void> {
    await this.authorizeManage(credentials);
    await this.deps.db.transaction(async tx => {
      const { replaced } = await this.thisAndFollowing(tx, id);
      await deleteBlackouts(
        tx,
        replaced.map(b => b.id),
      );
      await this.audit(tx, 'blackout-delete', credentials, {
        before: replaced,
        now,
      });
    });
  }

  async list(
    filter: Parameters<typeof listBlackouts>[1],
  ): Promise<StoredBlackout[]> {
    return listBlackouts(this.deps.db, filter);
  }

  /**
   * The blackout `id` (locked, so concurrent edits of it queue) and what an edit or delete of it
   * replaces: itself, and for an occurrence of a series the later occurrences too.
   */
  private async thisAndFollowing(tx: Knex.Transaction, id: string) {
    const existing = await getBlackout(tx, id, { forUpdate: true });
    if (!existing) throw new NotFoundError(`No blackout ${id}`);
    const replaced = existing.seriesId
      ? await listSeriesOccurrences(tx, existing.seriesId, existing.start)
      : [existing];
    return { existing, replaced };
  }

  /** Stores each occurrence of `blackout`; the first gets `fields.id`, the others new ids. */
  private async insertOccurrences(
    tx: Knex.Transaction,
    blackout: NewBlackout,
    fields: Pick<
      StoredBlackout,
      'id' | 'seriesId' | 'createdByRef' | 'createdAt'
    >,
  ): Promise<StoredBlackout[]> {
    const { occurrences, ...common } = blackout;
    const stored: StoredBlackout[] = [];
    for (const [index, occurrence] of occurrences.entries()) {
      stored.push(
        await insertBlackout(tx, {
          ...common,
          ...fields,
          ...occurrence,
          id: index === 0 ? fields.id : randomUUID(),
        }),
      );
    }
    return stored;
  }

  /** One audit event per change, however many occurrences it touched. */
  private async audit(
    tx: Knex.Transaction,
    action: string,
    credentials: UserCredentials,
    change: {
      before?: StoredBlackout[];
      after?: StoredBlackout[];
      now: Date;
    },
  ) {
    const subject = (change.after ?? change.before)![0];
    const environmentRefOf = (blackouts?: StoredBlackout[]) =>
      blackouts?.[0].scope === 'environment'
        ? blackouts[0].scopeKey
        : undefined;
    await insertAuditEvent(tx, {
      at: change.now,
      actorRef: credentials.principal.userEntityRef,
      action,
      subjectType: 'blackout',
      subjectId: subject.id,
      environmentRef:
        environmentRefOf(change.after) ?? environmentRefOf(change.before),
      before: change.before && auditedBlackout(change.before),
      after: change.after && auditedBlackout(change.after),
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
