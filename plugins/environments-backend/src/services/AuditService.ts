import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  AuditEvent,
  bookingAdminPermission,
} from '@internal/plugin-environments-common';
import { requirePermission } from './permissions';
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
    await requirePermission(
      this.deps.permissions,
      bookingAdminPermission,
      credentials,
      'Only administrators can read the audit log',
    );
    return listAuditEvents(this.deps.db, filter);
  }
}
