import { Knex } from 'knex';
import { EnvironmentSnapshot } from '../domain/environments';
import {
  insertRefusal,
  lastDeploymentTimes,
  listApprovals,
  listDeploymentTimes,
  listProbesBetween,
  listRefusals,
  listStatusChanges,
} from './analyticsStore';
import { insertAuditEvent } from './auditStore';
import { newEnvironmentRow } from './environmentsStore';
import { recordProbes } from './healthStore';
import { migrationsDir } from './migrations';
import {
  createTestDatabases,
  supportedDatabases,
  TEST_DATABASE_IDS,
} from '../__testUtils__/databases';

jest.setTimeout(60_000);

const qa1: EnvironmentSnapshot = {
  entityRef: 'resource:default/qa-1',
  tier: 'test',
  bookable: true,
  capacity: 1,
};
const qa2: EnvironmentSnapshot = { ...qa1, entityRef: 'resource:default/qa-2' };

/** 27 November 2026, `hour`:00 UTC. */
const at = (hour: number) => new Date(Date.UTC(2026, 10, 27, hour));

describe('analyticsStore', () => {
  const databases = createTestDatabases();
  it('runs on PostgreSQL 15 and SQLite', () => {
    expect(supportedDatabases(databases)).toEqual(TEST_DATABASE_IDS);
  });

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let knex: Knex;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      await knex.migrate.latest({ directory: migrationsDir });
      await knex('environments').insert(
        [qa1, qa2].map(e => newEnvironmentRow(e, at(0))),
      );
    });
    afterAll(async () => {
      await knex.destroy();
    });

    it('records refusals and lists those of the environments in [from, to), oldest first', async () => {
      for (const [ref, hour, kind] of [
        [qa1.entityRef, 10, 'policy'],
        [qa1.entityRef, 9, 'conflict'],
        [qa1.entityRef, 12, 'blackout'],
        [qa2.entityRef, 9, 'conflict'],
      ] as const) {
        await insertRefusal(knex, {
          environmentRef: ref,
          at: at(hour),
          kind,
          requesterRef: 'user:default/bob',
        });
      }
      // 12:00 is the end of the period, so not in it.
      expect(await listRefusals(knex, [qa1.entityRef], at(9), at(12))).toEqual([
        {
          environmentRef: qa1.entityRef,
          at: at(9),
          kind: 'conflict',
          requesterRef: 'user:default/bob',
        },
        {
          environmentRef: qa1.entityRef,
          at: at(10),
          kind: 'policy',
          requesterRef: 'user:default/bob',
        },
      ]);
    });

    it('lists probes in [from, to) with their outcome as booleans', async () => {
      await recordProbes(
        knex,
        [8, 9, 10, 11].map(hour => ({
          environmentRef: qa1.entityRef,
          at: at(hour),
          ok: hour !== 10,
        })),
      );
      expect(
        await listProbesBetween(knex, [qa1.entityRef], at(9), at(11)),
      ).toEqual([
        { environmentRef: qa1.entityRef, at: at(9), ok: true },
        { environmentRef: qa1.entityRef, at: at(10), ok: false },
      ]);
    });

    it('lists approvals decided in [from, to): not rejections, not undecided bookings', async () => {
      const booking = (
        id: string,
        status: string,
        createdHour: number,
        decidedHour?: number,
      ) => ({
        id,
        environment_ref: qa1.entityRef,
        requester_ref: 'user:default/alice',
        title: id,
        purpose: 'testing',
        starts_at: at(20),
        ends_at: at(21),
        status,
        original_ends_at: at(21),
        extension_count: 0,
        created_at: at(createdHour),
        updated_at: at(createdHour),
        decided_at: decidedHour === undefined ? null : at(decidedHour),
        decided_by_ref: decidedHour === undefined ? null : 'user:default/dave',
      });
      await knex('bookings').insert([
        booking('approved-then-released', 'released', 6, 9),
        booking('approved', 'approved', 8, 10),
        booking('rejected', 'rejected', 8, 10),
        booking('no-approval-needed', 'approved', 8),
        booking('approved-later', 'approved', 8, 12),
      ]);
      const approvals = await listApprovals(
        knex,
        [qa1.entityRef],
        at(9),
        at(12),
      );
      expect(
        approvals.sort(
          (a, b) => a.approvedAt.getTime() - b.approvedAt.getTime(),
        ),
      ).toEqual([
        {
          environmentRef: qa1.entityRef,
          requestedAt: at(6),
          approvedAt: at(9),
        },
        {
          environmentRef: qa1.entityRef,
          requestedAt: at(8),
          approvedAt: at(10),
        },
      ]);
    });

    it('lists deployment times in [from, to) and the last deployment per environment', async () => {
      const deployment = (id: string, ref: string | null, hour: number) => ({
        id,
        provider: 'github',
        external_id: id,
        entity_ref: 'component:default/payments-api',
        environment_name: 'qa',
        environment_ref: ref,
        status: id === 'd-2' ? 'failed' : 'succeeded',
        deployed_at: at(hour),
        synced_at: at(hour),
      });
      await knex('deployments').insert([
        deployment('d-1', qa1.entityRef, 8),
        deployment('d-2', qa1.entityRef, 10),
        deployment('d-3', qa2.entityRef, 9),
        deployment('d-4', null, 11),
      ]);
      expect(
        await listDeploymentTimes(
          knex,
          [qa1.entityRef, qa2.entityRef],
          at(9),
          at(12),
        ),
      ).toEqual([
        { environmentRef: qa2.entityRef, at: at(9) },
        // A failed deployment is activity too.
        { environmentRef: qa1.entityRef, at: at(10) },
      ]);
      expect(
        await lastDeploymentTimes(knex, [
          qa1.entityRef,
          qa2.entityRef,
          'resource:default/never-deployed',
        ]),
      ).toEqual(
        new Map([
          [qa1.entityRef, at(10)],
          [qa2.entityRef, at(9)],
        ]),
      );
    });

    it('lists status changes from the audit log before `to`, oldest first, skipping updates that kept the status', async () => {
      const update = (hour: number, from: string, to: string, ref = qa1) =>
        insertAuditEvent(knex, {
          at: at(hour),
          actorRef: 'user:default/dave',
          action: 'environment-update',
          subjectType: 'environment',
          subjectId: ref.entityRef,
          environmentRef: ref.entityRef,
          adminOverride: true,
          before: { status: from, overrides: {} },
          after: { status: to, overrides: { capacity: 2 } },
        });
      await update(14, 'maintenance', 'available');
      await update(9, 'available', 'maintenance');
      // A capacity change alone, and another environment's change.
      await update(11, 'maintenance', 'maintenance');
      await update(10, 'available', 'retired', qa2);
      await update(16, 'available', 'retired');
      expect(await listStatusChanges(knex, [qa1.entityRef], at(16))).toEqual([
        {
          environmentRef: qa1.entityRef,
          at: at(9),
          from: 'available',
          to: 'maintenance',
        },
        {
          environmentRef: qa1.entityRef,
          at: at(14),
          from: 'maintenance',
          to: 'available',
        },
      ]);
    });
  });
});
