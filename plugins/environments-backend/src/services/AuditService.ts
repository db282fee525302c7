import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuditEvent,
  bookingAdminPermission,
} from '@internal/plugin-environments-common';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { Knex } from 'knex';
import { listAuditEvents } from '../database/auditStore';

/** The audit log, readable by holders of the admin permission. */
export class AuditService {
  constructor(
    private readonly deps: { db: Knex; permissions: PermissionsService },
  ) {}

  async list(
    filter: Parameters<typeof listAuditEvents>[1],
    credentials: BackstageCredentials,
  ): Promise<AuditEvent[]> {
    const [decision] = await this.deps.permissions.authorize(
      [{ permission: bookingAdminPermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError('Only administrators can read the audit log');
    }
    return listAuditEvents(this.deps.db, filter);
  }
}
