// @ts-check

/**
 * Blackouts and maintenance windows of one environment or of a whole tier. A booking overlapping
 * one is refused unless its requester may override; a maintenance window also shows the
 * environment as in maintenance while it lasts.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('blackouts', table => {
    table.comment('Blackouts and maintenance windows');
    table.string('id', 36).primary().comment('UUID');
    table.string('scope', 16).notNullable().comment('environment | tier');
    table
      .string('scope_key', 255)
      .notNullable()
      .comment('Entity ref or tier name');
    table.string('kind', 16).notNullable().comment('blackout | maintenance');
    table.string('title', 200).notNullable();
    table.text('reason').nullable();
    table.dateTime('starts_at').notNullable();
    table.dateTime('ends_at').notNullable().comment('Exclusive');
    table.string('created_by_ref', 255).notNullable();
    table.dateTime('created_at').notNullable();
    table.index(
      ['scope', 'scope_key', 'starts_at', 'ends_at'],
      'blackouts_scope_time_idx',
    );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('blackouts');
};
