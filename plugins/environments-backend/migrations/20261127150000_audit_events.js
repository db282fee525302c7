// @ts-check

/**
 * Every change to a booking or blackout, with who made it and the record before and after,
 * written in the transaction of the change itself so the log cannot miss one.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('audit_events', table => {
    table.comment('Append-only log of booking and blackout changes');
    table.string('id', 36).primary().comment('UUID');
    table.dateTime('at').notNullable();
    table.string('actor_ref', 255).notNullable();
    table
      .string('action', 48)
      .notNullable()
      .comment('e.g. booking-create, booking-release');
    table
      .string('subject_type', 16)
      .notNullable()
      .comment('booking | blackout');
    table.string('subject_id', 36).notNullable();
    table.string('environment_ref', 255).nullable();
    table
      .boolean('admin_override')
      .notNullable()
      .comment('Done with the admin permission');
    table.text('before').nullable().comment('JSON of the record before');
    table.text('after').nullable().comment('JSON of the record after');
    table.index(['environment_ref', 'at'], 'audit_events_environment_idx');
    table.index(['actor_ref', 'at'], 'audit_events_actor_idx');
    table.index(['at'], 'audit_events_at_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('audit_events');
};
