import { AuditEvent } from '@internal/plugin-environments-common';
import { auditEventsCsv } from './auditCsv';

const event: AuditEvent = {
  id: 'a-1',
  at: '2026-11-28T10:00:00.000Z',
  actorRef: 'user:default/admin',
  action: 'booking-force-release',
  subjectType: 'booking',
  subjectId: 'b-1',
  environmentRef: 'resource:default/qa-1',
  adminOverride: true,
  reason: '=cmd|"/c calc"!A1, urgent',
  before: { status: 'approved' },
  after: { status: 'released' },
};

describe('auditEventsCsv', () => {
  it('writes one line per event with the records as JSON', () => {
    expect(auditEventsCsv([event]).split('\r\n')).toEqual([
      'at,actor,action,subject type,subject id,environment,admin override,reason,before,after',
      '2026-11-28T10:00:00.000Z,user:default/admin,booking-force-release,booking,b-1,' +
        `resource:default/qa-1,true,"'=cmd|""/c calc""!A1, urgent",` +
        '"{""status"":""approved""}","{""status"":""released""}"',
      '',
    ]);
  });

  it('leaves cells empty for what an event does not have', () => {
    const created: AuditEvent = {
      id: 'a-2',
      at: '2026-11-28T11:00:00.000Z',
      actorRef: 'user:default/alice',
      action: 'blackout-create',
      subjectType: 'blackout',
      subjectId: 'x-1',
      adminOverride: false,
      after: { title: 'Freeze' },
    };
    expect(auditEventsCsv([created]).split('\r\n')[1]).toBe(
      '2026-11-28T11:00:00.000Z,user:default/alice,blackout-create,blackout,x-1,,false,,,' +
        '"{""title"":""Freeze""}"',
    );
  });
});
