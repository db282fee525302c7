import { AuditEvent } from '@internal/plugin-environments-common';
import { CsvColumn, toCsv } from './csv';

/** JSON of a record before or after a change, in one cell; empty when there is none. */
const json = (value: unknown) =>
  value === undefined ? undefined : JSON.stringify(value);

const AUDIT_COLUMNS: CsvColumn<AuditEvent>[] = [
  { header: 'at', value: e => e.at },
  { header: 'actor', value: e => e.actorRef },
  { header: 'action', value: e => e.action },
  { header: 'subject type', value: e => e.subjectType },
  { header: 'subject id', value: e => e.subjectId },
  { header: 'environment', value: e => e.environmentRef },
  { header: 'admin override', value: e => e.adminOverride },
  { header: 'reason', value: e => e.reason },
  { header: 'before', value: e => json(e.before) },
  { header: 'after', value: e => json(e.after) },
];

/** The audit log export: one CSV line per event, in the order given. */
export function auditEventsCsv(events: AuditEvent[]): string {
  return toCsv(AUDIT_COLUMNS, events);
}
