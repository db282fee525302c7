import { AuditEvent } from '@internal/plugin-environments-common';
import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { toDate } from './dates';

interface AuditRow {
  id: string;
  at: Date | string | number;
  actor_ref: string;
  action: string;
  subject_type: string;
  subject_id: string;
  environment_ref: string | null;
  admin_override: boolean | number;
  reason: string | null;
  before: string | null;
  after: string | null;
}

const TABLE = 'audit_events';

/** What a change records; `before`/`after` are stored as JSON. */
export interface NewAuditEvent {
  at: Date;
  actorRef: string;
  action: string;
  subjectType: AuditEvent['subjectType'];
  subjectId: string;
  environmentRef?: string;
  adminOverride?: boolean;
  /** Why, where the actor had to say (an admin acting on someone's booking). */
  reason?: string;
  before?: unknown;
  after?: unknown;
}

export async function insertAuditEvent(
  tx: Knex | Knex.Transaction,
  event: NewAuditEvent,
): Promise<void> {
  const row: AuditRow = {
    id: randomUUID(),
    at: event.at,
    actor_ref: event.actorRef,
    action: event.action,
    subject_type: event.subjectType,
    subject_id: event.subjectId,
    environment_ref: event.environmentRef ?? null,
    admin_override: event.adminOverride ?? false,
    reason: event.reason ?? null,
    before: event.before === undefined ? null : JSON.stringify(event.before),
    after: event.after === undefined ? null : JSON.stringify(event.after),
  };
  await tx(TABLE).insert(row);
}

/** Audit events, newest first, filtered by any of the given fields; a page of them. */
export async function listAuditEvents(
  db: Knex,
  filter: {
    environmentRef?: string;
    actorRef?: string;
    action?: string;
    from?: Date;
    to?: Date;
    limit: number;
    offset?: number;
  },
): Promise<AuditEvent[]> {
  const query = db<AuditRow>(TABLE)
    .orderBy('at', 'desc')
    .orderBy('id')
    .limit(filter.limit)
    .offset(filter.offset ?? 0);
  if (filter.environmentRef)
    query.where('environment_ref', filter.environmentRef);
  if (filter.actorRef) query.where('actor_ref', filter.actorRef);
  if (filter.action) query.where('action', filter.action);
  if (filter.from) query.where('at', '>=', filter.from);
  if (filter.to) query.where('at', '<', filter.to);
  return (await query).map(row => ({
    id: row.id,
    at: toDate(row.at).toISOString(),
    actorRef: row.actor_ref,
    action: row.action,
    subjectType: row.subject_type as AuditEvent['subjectType'],
    subjectId: row.subject_id,
    environmentRef: row.environment_ref ?? undefined,
    adminOverride: Boolean(row.admin_override),
    reason: row.reason ?? undefined,
    before: row.before === null ? undefined : JSON.parse(row.before),
    after: row.after === null ? undefined : JSON.parse(row.after),
  }));
}
