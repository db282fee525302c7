import {
  BackstageCredentials,
  BackstageUserPrincipal,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { blackoutManagePermission } from '@internal/plugin-environments-common';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import {
  deleteBlackout,
  insertBlackout,
  listBlackouts,
} from '../database/blackoutsStore';
import { parseNewBlackout, StoredBlackout } from '../domain/blackouts';

/** Blackouts and maintenance windows, managed by holders of `environments.blackout.manage`. */
export class BlackoutsService {
  constructor(
    private readonly deps: { db: Knex; permissions: PermissionsService },
  ) {}

  async create(
    body: unknown,
    credentials: BackstageCredentials<BackstageUserPrincipal>,
    now = new Date(),
  ): Promise<StoredBlackout> {
    const blackout = parseNewBlackout(body, now);
    await this.authorizeManage(credentials);
    return insertBlackout(
      this.deps.db,
      {
        ...blackout,
        id: randomUUID(),
        createdByRef: credentials.principal.userEntityRef,
      },
      now,
    );
  }

  async delete(id: string, credentials: BackstageCredentials): Promise<void> {
    await this.authorizeManage(credentials);
    if (!(await deleteBlackout(this.deps.db, id))) {
      throw new NotFoundError(`No blackout ${id}`);
    }
  }

  async list(
    filter: Parameters<typeof listBlackouts>[1],
  ): Promise<StoredBlackout[]> {
    return listBlackouts(this.deps.db, filter);
  }

  private async authorizeManage(credentials: BackstageCredentials) {
    const [decision] = await this.deps.permissions.authorize(
      [{ permission: blackoutManagePermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError('You are not allowed to manage blackouts');
    }
  }
}
