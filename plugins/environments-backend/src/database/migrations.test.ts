import fs from 'node:fs';
import { Knex } from 'knex';
import { connectDatabase, migrationsDir } from './migrations';
import {
  createTestDatabases,
  supportedDatabases,
  TEST_DATABASE_IDS,
} from '../__testUtils__/databases';

jest.setTimeout(60_000);

const migrationFiles = fs
  .readdirSync(migrationsDir)
  .filter(file => file.endsWith('.js'))
  .sort();

async function migrateUpOnce(knex: Knex) {
  await knex.migrate.up({ directory: migrationsDir });
}

async function migrateDownOnce(knex: Knex) {
  await knex.migrate.down({ directory: migrationsDir });
}

const tablesAtLatest = [
  'environments',
  'bookings',
  'blackouts',
  'booking_series',
  'waitlist',
  'audit_events',
  'deployments',
  'health_checks',
  'booking_policies',
  'booking_refusals',
  'slo_snapshots',
];

type Row = Record<string, unknown>;

/** Key columns of the tables without an `id`. */
const ORDER_BY: Record<string, string[]> = {
  environments: ['entity_ref'],
  booking_policies: ['scope', 'scope_key'],
};

/** A table's rows in key order, as the driver returns them. */
async function rowsOf(knex: Knex, table: string): Promise<Row[]> {
  return knex(table)
    .select()
    .orderBy(ORDER_BY[table] ?? ['id']);
}

/** The row with only the given columns. */
function only(row: Row, columns: string[]): Row {
  return Object.fromEntries(columns.map(column => [column, row[column]]));
}

async function tableNames(knex: Knex): Promise<string[]> {
  const tables = tablesAtLatest;
  const present = await Promise.all(tables.map(t => knex.schema.hasTable(t)));
  return tables.filter((_, i) => present[i]);
}

describe('migrations', () => {
  const databases = createTestDatabases();
  it('runs on PostgreSQL 15 and SQLite', () => {
    expect(supportedDatabases(databases)).toEqual(TEST_DATABASE_IDS);
  });

  it('have 14-digit timestamp names and are type-checked', () => {
    expect(migrationFiles.length).toBeGreaterThan(0);
    for (const file of migrationFiles) {
      expect(file).toMatch(/^\d{14}_[a-z0-9_]+\.js$/);
      expect(fs.readFileSync(`${migrationsDir}/${file}`, 'utf8')).toMatch(
        /^\/\/ @ts-check/,
      );
    }
  });

  it.each(databases.eachSupportedId())(
    'go up and down one step at a time with data, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const now = new Date('2026-11-27T09:00:00.000Z');
      const later = new Date('2026-11-27T11:00:00.000Z');

      // 20261127090000_environments
      await migrateUpOnce(knex);
      await knex('environments').insert({
        entity_ref: 'resource:default/qa-1',
        title: 'QA 1',
        tier: 'test',
        owner_ref: 'group:default/platform-team',
        system_ref: null,
        bookable: true,
        capacity: 2,
        status: 'maintenance',
        status_changed_at: now,
        first_seen_at: now,
        last_seen_at: now,
        removed_at: null,
      });

      // 20261127100000_bookings
      await migrateUpOnce(knex);
      await knex('bookings').insert({
        id: 'b-1',
        environment_ref: 'resource:default/qa-1',
        requester_ref: 'user:default/alice',
        team_ref: null,
        title: 'Release 42',
        purpose: 'testing',
        reason: null,
        external_link: null,
        starts_at: now,
        ends_at: later,
        status: 'pending',
        original_ends_at: later,
        extension_count: 0,
        created_at: now,
        updated_at: now,
      });

      // 20261127110000_booking_decisions
      await migrateUpOnce(knex);
      await knex('bookings').where('id', 'b-1').update({
        status: 'approved',
        decided_by_ref: 'user:default/dave',
        decided_at: later,
      });
      expect(await knex('bookings').first()).toMatchObject({
        id: 'b-1',
        status: 'approved',
        decided_by_ref: 'user:default/dave',
      });

      // 20261127120000_blackouts
      await migrateUpOnce(knex);
      await knex('blackouts').insert({
        id: 'x-1',
        scope: 'tier',
        scope_key: 'staging',
        kind: 'maintenance',
        title: 'Database upgrade',
        reason: null,
        starts_at: now,
        ends_at: later,
        created_by_ref: 'user:default/dave',
        created_at: now,
      });
      expect(await knex('blackouts').first()).toMatchObject({
        id: 'x-1',
        kind: 'maintenance',
      });

      // 20261127130000_booking_series
      await migrateUpOnce(knex);
      await knex('booking_series').insert({
        id: 's-1',
        rrule: 'FREQ=WEEKLY;COUNT=2',
        requester_ref: 'user:default/alice',
        created_at: now,
      });
      await knex('bookings').where('id', 'b-1').update({ series_id: 's-1' });
      expect(await knex('bookings').first()).toMatchObject({
        id: 'b-1',
        series_id: 's-1',
      });

      // 20261127140000_waitlist_and_reminders
      await migrateUpOnce(knex);
      await knex('waitlist').insert({
        id: 'w-1',
        environment_ref: 'resource:default/qa-1',
        requester_ref: 'user:default/bob',
        team_ref: null,
        title: 'Waiting',
        purpose: 'testing',
        starts_at: now,
        ends_at: later,
        status: 'waiting',
        offered_at: null,
        hold_expires_at: null,
        booking_id: null,
        created_at: now,
      });
      await knex('bookings')
        .where('id', 'b-1')
        .update({ reminder_sent_at: now });
      expect(await knex('waitlist').first()).toMatchObject({
        id: 'w-1',
        status: 'waiting',
      });

      // 20261127150000_audit_events
      await migrateUpOnce(knex);
      await knex('audit_events').insert({
        id: 'a-1',
        at: now,
        actor_ref: 'user:default/dave',
        action: 'booking-approve',
        subject_type: 'booking',
        subject_id: 'b-1',
        environment_ref: 'resource:default/qa-1',
        admin_override: false,
        before: '{"status":"pending"}',
        after: '{"status":"approved"}',
      });

      // 20261127160000_component_slots
      await migrateUpOnce(knex);
      await knex('bookings')
        .where('id', 'b-1')
        .update({ component_ref: 'component:default/payments-api' });
      expect(await knex('bookings').first()).toMatchObject({
        component_ref: 'component:default/payments-api',
      });

      // 20261127170000_deployments
      await migrateUpOnce(knex);
      await knex('deployments').insert({
        id: 'd-1',
        provider: 'github',
        external_id: '1001',
        entity_ref: 'component:default/payments-api',
        environment_name: 'staging',
        environment_ref: 'resource:default/checkout-staging',
        version: 'v1.2.3',
        commit_sha: 'abc1234',
        status: 'succeeded',
        deployed_at: new Date('2026-11-27T09:00:00.000Z'),
        synced_at: new Date('2026-11-27T09:01:00.000Z'),
      });
      // The same deployment twice is refused by the unique index.
      const duplicate = await knex('deployments')
        .insert({
          id: 'd-2',
          provider: 'github',
          external_id: '1001',
          entity_ref: 'component:default/payments-api',
          environment_name: 'staging',
          status: 'succeeded',
          deployed_at: new Date(),
          synced_at: new Date(),
        })
        .then(
          () => 'stored',
          () => 'refused',
        );
      expect(duplicate).toBe('refused');

      // 20261127180000_health_checks
      await migrateUpOnce(knex);
      await knex('health_checks').insert({
        environment_ref: 'resource:default/qa-1',
        checked_at: now,
        ok: false,
        http_status: 503,
        latency_ms: 12,
        reason: 'answered 503',
      });
      await knex('environments')
        .where('entity_ref', 'resource:default/qa-1')
        .update({
          health_status: 'degraded',
          health_since: now,
          health_checked_at: now,
          health_reason: 'answered 503',
        });
      expect(await knex('environments').first()).toMatchObject({
        health_status: 'degraded',
        health_reason: 'answered 503',
      });
      expect(await knex('health_checks').first()).toMatchObject({
        http_status: 503,
        reason: 'answered 503',
      });

      // 20261128090000_booking_policies_and_environment_overrides: one policy per scope;
      // overrides beside the catalog values; audit subjects longer than a UUID.
      await migrateUpOnce(knex);
      await knex('booking_policies').insert({
        scope: 'tier',
        scope_key: 'test',
        settings: '{"maxDurationHours":8}',
        updated_by_ref: 'user:default/dave',
        updated_at: now,
      });
      const secondPolicy = await knex('booking_policies')
        .insert({
          scope: 'tier',
          scope_key: 'test',
          settings: '{}',
          updated_by_ref: 'user:default/dave',
          updated_at: now,
        })
        .then(
          () => 'stored',
          () => 'refused',
        );
      expect(secondPolicy).toBe('refused');
      await knex('environments')
        .where('entity_ref', 'resource:default/qa-1')
        .update({
          bookable_override: false,
          capacity_override: 3,
          component_slots_override: '["component:default/payments-api"]',
        });
      await knex('audit_events').insert({
        id: 'a-2',
        at: now,
        actor_ref: 'user:default/dave',
        action: 'policy-update',
        subject_type: 'policy',
        subject_id: `environment:resource:default/${'long-name-'.repeat(6)}`,
        environment_ref: null,
        admin_override: true,
        before: null,
        after: '{"maxDurationHours":8}',
      });
      expect(await knex('environments').first()).toMatchObject({
        capacity: 2,
        capacity_override: 3,
      });

      // 20261128100000_blackout_series_and_audit_reasons
      await migrateUpOnce(knex);
      expect(await knex('blackouts').first()).toMatchObject({
        id: 'x-1',
        series_id: null,
        rrule: null,
      });
      await knex('blackouts').insert({
        id: 'x-2',
        scope: 'environment',
        scope_key: 'resource:default/qa-1',
        kind: 'blackout',
        title: 'Weekly freeze',
        reason: null,
        starts_at: now,
        ends_at: later,
        created_by_ref: 'user:default/dave',
        created_at: now,
        series_id: 's-x',
        rrule: 'FREQ=WEEKLY;UNTIL=20261204T090000Z',
      });
      await knex('audit_events')
        .where('id', 'a-1')
        .update({ reason: 'Approved for the release' });
      expect(
        await knex('audit_events').where('id', 'a-1').first(),
      ).toMatchObject({ reason: 'Approved for the release' });

      // 20261128110000_usage_analytics
      await migrateUpOnce(knex);
      await knex('booking_refusals').insert({
        environment_ref: 'resource:default/qa-1',
        at: now,
        kind: 'conflict',
        requester_ref: 'user:default/bob',
      });
      await knex('bookings').where('id', 'b-1').update({
        idle_offered_at: now,
        idle_kept_at: later,
        release_reason: 'idle',
      });
      expect(await knex('bookings').first()).toMatchObject({
        id: 'b-1',
        release_reason: 'idle',
      });
      expect(await knex('booking_refusals').first()).toMatchObject({
        kind: 'conflict',
      });

      // 20261128120000_dora: stored deployments get an empty commit time.
      await migrateUpOnce(knex);
      expect(await knex('deployments').first()).toMatchObject({
        id: 'd-1',
        committed_at: null,
      });
      await knex('deployments')
        .where('id', 'd-1')
        .update({ committed_at: new Date('2026-11-27T08:00:00.000Z') });
      await knex('slo_snapshots').insert({
        entity_ref: 'component:default/payments-api',
        slo_name: 'availability',
        objective: 'default',
        environment_ref: null,
        at: now,
        sli: 0.998,
        budget_remaining: -0.5,
        short_burn_rate: 15,
        long_burn_rate: 14.5,
        fast_burn: true,
        breached: true,
      });
      expect(await knex('slo_snapshots').first()).toMatchObject({
        slo_name: 'availability',
        budget_remaining: -0.5,
      });
      expect(migrationFiles).toHaveLength(14);

      // Down again, one step at a time: what remains keeps its data.
      await migrateDownOnce(knex);
      expect(await knex.schema.hasTable('slo_snapshots')).toBe(false);
      expect(await knex.schema.hasColumn('deployments', 'committed_at')).toBe(
        false,
      );
      expect(await knex('deployments').first()).toMatchObject({ id: 'd-1' });

      await migrateDownOnce(knex);
      expect(await knex.schema.hasTable('booking_refusals')).toBe(false);
      expect(await knex.schema.hasColumn('bookings', 'idle_offered_at')).toBe(
        false,
      );
      expect(await knex('bookings').first()).toMatchObject({
        id: 'b-1',
        component_ref: 'component:default/payments-api',
      });

      await migrateDownOnce(knex);
      expect(await knex.schema.hasColumn('blackouts', 'series_id')).toBe(false);
      expect(await knex.schema.hasColumn('audit_events', 'reason')).toBe(false);
      expect(
        (await knex('blackouts').select('id').orderBy('id')).map(r => r.id),
      ).toEqual(['x-1', 'x-2']);
      expect(
        await knex('audit_events').where('id', 'a-1').first(),
      ).toMatchObject({ action: 'booking-approve' });

      await migrateDownOnce(knex);
      expect(await knex.schema.hasTable('booking_policies')).toBe(false);
      expect(
        await knex.schema.hasColumn('environments', 'capacity_override'),
      ).toBe(false);
      expect((await knex('audit_events').select('id')).map(r => r.id)).toEqual([
        'a-1',
      ]);
      expect(await knex('environments').first()).toMatchObject({
        entity_ref: 'resource:default/qa-1',
        status: 'maintenance',
      });

      await migrateDownOnce(knex);
      expect(await knex.schema.hasTable('health_checks')).toBe(false);
      expect(await knex.schema.hasColumn('environments', 'health_status')).toBe(
        false,
      );
      expect(await knex('environments').first()).toMatchObject({
        entity_ref: 'resource:default/qa-1',
        status: 'maintenance',
      });

      await migrateDownOnce(knex);
      expect(await knex.schema.hasTable('deployments')).toBe(false);
      expect(await knex('bookings').first()).toMatchObject({
        component_ref: 'component:default/payments-api',
      });

      await migrateDownOnce(knex);
      expect(await knex.schema.hasColumn('bookings', 'component_ref')).toBe(
        false,
      );
      expect(await knex('bookings').first()).toMatchObject({ id: 'b-1' });

      await migrateDownOnce(knex);
      expect(await knex('waitlist').first()).toMatchObject({ id: 'w-1' });

      await migrateDownOnce(knex);
      expect(await knex.schema.hasColumn('bookings', 'reminder_sent_at')).toBe(
        false,
      );
      expect(await knex('bookings').first()).toMatchObject({
        id: 'b-1',
        series_id: 's-1',
      });

      await migrateDownOnce(knex);
      expect(await knex.schema.hasColumn('bookings', 'series_id')).toBe(false);
      expect(await knex('bookings').first()).toMatchObject({
        id: 'b-1',
        status: 'approved',
      });

      await migrateDownOnce(knex);
      expect(await tableNames(knex)).toEqual(['environments', 'bookings']);

      await migrateDownOnce(knex);
      expect(await knex.schema.hasColumn('bookings', 'decided_by_ref')).toBe(
        false,
      );
      expect(await knex('bookings').first()).toMatchObject({
        id: 'b-1',
        status: 'approved',
      });

      await migrateDownOnce(knex);
      expect(await tableNames(knex)).toEqual(['environments']);
      const [row] = await knex('environments').select();
      expect(row).toMatchObject({
        entity_ref: 'resource:default/qa-1',
        status: 'maintenance',
      });
      expect(Number(row.capacity)).toBe(2);
      expect(Boolean(row.bookable)).toBe(true);

      await migrateDownOnce(knex);
      expect(await tableNames(knex)).toEqual([]);

      // Back up to the latest schema: every step applies cleanly after a full rollback.
      for (const _ of migrationFiles) {
        await migrateUpOnce(knex);
      }
      expect(await tableNames(knex)).toEqual(tablesAtLatest);
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'upgrade a first-release database in one go, and keep every remaining row through each down and up again, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const now = new Date('2026-11-27T09:00:00.000Z');
      const later = new Date('2026-11-27T11:00:00.000Z');
      // Text that a table rebuild (SQLite drops columns by copying the table) must not mangle;
      // short enough for a 200-character column, repeated for text columns.
      const awkward = `Ünïcode ✓ "quoted" 'single' \\ ${'x'.repeat(100)}`;
      const longText = awkward.repeat(50);

      // The first released schema, in use: then upgraded to the latest, as a deployment does.
      await migrateUpOnce(knex);
      await knex('environments').insert(
        ['qa-1', 'staging'].map((name, i) => ({
          entity_ref: `resource:default/${name}`,
          title: i ? awkward : null,
          tier: i ? 'staging' : 'test',
          owner_ref: 'group:default/platform-team',
          system_ref: i ? 'system:default/checkout' : null,
          bookable: i === 0,
          capacity: i + 1,
          status: 'available',
          status_changed_at: now,
          first_seen_at: now,
          last_seen_at: later,
          removed_at: i ? later : null,
        })),
      );
      const firstRelease = await rowsOf(knex, 'environments');
      await knex.migrate.latest({ directory: migrationsDir });
      expect(await tableNames(knex)).toEqual(tablesAtLatest);
      // Later steps add the health columns, empty until the first probe.
      expect(await rowsOf(knex, 'environments')).toEqual(
        firstRelease.map(row => ({
          ...row,
          bookable_override: null,
          capacity_override: null,
          component_slots_override: null,
          health_status: null,
          health_since: null,
          health_checked_at: null,
          health_reason: null,
        })),
      );

      // Every table holds data, with every column set in one row and null in another.
      await knex('booking_series').insert({
        id: 's-1',
        rrule: 'FREQ=WEEKLY;COUNT=2',
        requester_ref: 'user:default/alice',
        created_at: now,
      });
      await knex('bookings').insert(
        [0, 1].map(i => ({
          id: `b-${i}`,
          environment_ref: 'resource:default/qa-1',
          requester_ref: 'user:default/alice',
          team_ref: i ? 'group:default/payments' : null,
          title: i ? awkward : 'Release 42',
          purpose: 'testing',
          reason: i ? longText : null,
          external_link: i ? 'https://tickets.example.com/REL-42' : null,
          starts_at: now,
          ends_at: later,
          status: i ? 'approved' : 'pending',
          original_ends_at: later,
          extension_count: i,
          created_at: now,
          updated_at: later,
          decided_by_ref: i ? 'user:default/dave' : null,
          decided_at: i ? later : null,
          decision_note: i ? longText : null,
          series_id: i ? 's-1' : null,
          reminder_sent_at: i ? later : null,
          component_ref: i ? 'component:default/payments-api' : null,
          idle_offered_at: i ? now : null,
          idle_kept_at: i ? later : null,
          release_reason: i ? 'idle' : null,
        })),
      );
      await knex('booking_refusals').insert(
        [0, 1].map(i => ({
          environment_ref: 'resource:default/qa-1',
          at: i ? later : now,
          kind: i ? 'policy' : 'conflict',
          requester_ref: 'user:default/bob',
        })),
      );
      await knex('blackouts').insert(
        [1, 2].map(i => ({
          id: `x-${i}`,
          scope: 'tier',
          scope_key: 'staging',
          kind: 'maintenance',
          title: 'Database upgrade',
          reason: longText,
          starts_at: now,
          ends_at: later,
          created_by_ref: 'user:default/dave',
          created_at: now,
          series_id: i === 2 ? 's-x' : null,
          rrule: i === 2 ? 'FREQ=WEEKLY;UNTIL=20261204T090000Z' : null,
        })),
      );
      await knex('waitlist').insert(
        [0, 1].map(i => ({
          id: `w-${i}`,
          environment_ref: 'resource:default/qa-1',
          requester_ref: 'user:default/bob',
          team_ref: i ? 'group:default/payments' : null,
          title: 'Waiting',
          purpose: 'testing',
          starts_at: now,
          ends_at: later,
          status: i ? 'offered' : 'waiting',
          offered_at: i ? now : null,
          hold_expires_at: i ? later : null,
          booking_id: i ? 'b-1' : null,
          created_at: now,
          component_ref: i ? 'component:default/payments-api' : null,
        })),
      );
      await knex('audit_events').insert({
        id: 'a-1',
        at: now,
        actor_ref: 'user:default/dave',
        action: 'booking-approve',
        subject_type: 'booking',
        subject_id: 'b-1',
        environment_ref: 'resource:default/qa-1',
        admin_override: true,
        reason: longText,
        before: JSON.stringify({ status: 'pending', note: longText }),
        after: '{"status":"approved"}',
      });
      await knex('deployments').insert({
        id: 'd-1',
        provider: 'github',
        external_id: '1001',
        entity_ref: 'component:default/payments-api',
        environment_name: 'staging',
        environment_ref: 'resource:default/staging',
        version: 'v1.2.3',
        commit_sha: 'abc1234',
        status: 'succeeded',
        deployed_at: now,
        deployed_by: 'alice',
        url: 'https://github.com/acme/payments-api/deployments',
        synced_at: later,
        committed_at: now,
      });
      await knex('slo_snapshots').insert(
        [0, 1].map(i => ({
          entity_ref: 'component:default/payments-api',
          slo_name: awkward,
          objective: 'default',
          environment_ref: i ? 'resource:default/staging' : null,
          at: i ? later : now,
          sli: i ? null : 0.9995,
          budget_remaining: i ? null : 0.5,
          short_burn_rate: i ? null : 0.8,
          long_burn_rate: i ? null : 1.2,
          fast_burn: i === 1,
          breached: i === 1,
        })),
      );
      await knex('health_checks').insert(
        [0, 1].map(i => ({
          environment_ref: 'resource:default/qa-1',
          checked_at: i ? later : now,
          ok: i === 0,
          http_status: i ? null : 200,
          latency_ms: i ? null : 35,
          reason: i ? awkward : null,
        })),
      );
      await knex('environments')
        .where('entity_ref', 'resource:default/qa-1')
        .update({
          health_status: 'degraded',
          health_since: later,
          health_checked_at: later,
          health_reason: awkward,
        });
      await knex('booking_policies').insert(
        [0, 1].map(i => ({
          scope: i ? 'environment' : 'global',
          scope_key: i ? 'resource:default/qa-1' : '',
          settings: JSON.stringify(
            i ? { maxDurationHours: 8 } : { requiresApproval: true },
          ),
          updated_by_ref: 'user:default/dave',
          updated_at: i ? later : now,
        })),
      );
      await knex('environments')
        .where('entity_ref', 'resource:default/qa-1')
        .update({
          bookable_override: true,
          capacity_override: 4,
          component_slots_override: JSON.stringify([awkward]),
        });
      const latest: Record<string, Row[]> = {};
      for (const table of tablesAtLatest) {
        latest[table] = await rowsOf(knex, table);
        expect(latest[table].length).toBeGreaterThan(0);
      }

      // Each step down keeps every row of what remains, with the columns that remain; going
      // up again from there keeps them too (the step's own tables and columns come back empty).
      for (let step = migrationFiles.length; step > 0; step--) {
        await migrateDownOnce(knex);
        const remaining = await tableNames(knex);
        const kept: Record<string, Row[]> = {};
        for (const table of remaining) {
          kept[table] = await rowsOf(knex, table);
          const columns = Object.keys(kept[table][0] ?? {});
          expect(kept[table]).toEqual(
            latest[table].map(row => only(row, columns)),
          );
        }

        await migrateUpOnce(knex);
        for (const table of await tableNames(knex)) {
          const rows = await rowsOf(knex, table);
          // The step's own tables come back empty and its columns null, not made up.
          const allNull = (row: Row | undefined) =>
            Object.fromEntries(Object.keys(row ?? {}).map(c => [c, null]));
          expect(rows).toEqual(
            (kept[table] ?? []).map((row, i) => ({
              ...allNull(rows[i]),
              ...row,
            })),
          );
        }
        await migrateDownOnce(knex);
      }
      expect(await tableNames(knex)).toEqual([]);
      await knex.destroy();
    },
  );
});

describe('connectDatabase', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'migrates to the latest schema, unless migrations are skipped, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const database = (skip: boolean) => ({
        getClient: async () => knex,
        migrations: { skip },
      });

      await connectDatabase(database(true));
      expect(await tableNames(knex)).toEqual([]);

      await connectDatabase(database(false));
      expect(await tableNames(knex)).toEqual(tablesAtLatest);
      await knex.destroy();
    },
  );
});
