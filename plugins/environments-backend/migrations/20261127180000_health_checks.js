// @ts-check

/**
 * Environment health: the history of probes of each environment's health-check URL, kept for
 * the retention period, and the current health on the environment's row, which the API reads
 * and the notifications compare against.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('health_checks', table => {
    table.comment('Probes of environments health-check URLs');
    table.bigIncrements('id').primary();
    table
      .string('environment_ref', 255)
      .notNullable()
      .comment('The environment probed');
    table.dateTime('checked_at', { precision: 3 }).notNullable();
    table.boolean('ok').notNullable().comment('Answered 2xx in time');
    table
      .integer('http_status')
      .nullable()
      .comment('Status of the answer; null without one');
    table
      .integer('latency_ms')
      .nullable()
      .comment('Time to the answer; null without one');
    table
      .string('reason', 255)
      .nullable()
      .comment('Why it failed, e.g. connection refused');
    table.index(['environment_ref', 'checked_at'], 'health_checks_env_idx');
  });
  await knex.schema.alterTable('environments', table => {
    table
      .string('health_status', 16)
      .nullable()
      .comment('up | degraded | down | unknown; null until probed');
    table
      .dateTime('health_since', { precision: 3 })
      .nullable()
      .comment('When health_status began');
    table
      .dateTime('health_checked_at', { precision: 3 })
      .nullable()
      .comment('Last probe');
    table.string('health_reason', 255).nullable().comment('Why it is not up');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  // A plain DROP COLUMN: Knex drops columns on SQLite by copying the table, and SQLite refuses
  // to drop `environments` while bookings refer to it.
  for (const column of [
    'health_status',
    'health_since',
    'health_checked_at',
    'health_reason',
  ]) {
    await knex.raw('ALTER TABLE ?? DROP COLUMN ??', ['environments', column]);
  }
  await knex.schema.dropTable('health_checks');
};
