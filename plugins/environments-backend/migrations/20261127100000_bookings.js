// @ts-check

/**
 * Bookings of environments for half-open intervals [starts_at, ends_at) in UTC. Only `approved`
 * bookings hold an environment; creation checks capacity in the same transaction that locks the
 * environment's row in `environments`.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('bookings', table => {
    table.comment('Bookings of environments');
    table.string('id', 36).primary().comment('UUID');
    table
      .string('environment_ref', 255)
      .notNullable()
      .references('entity_ref')
      .inTable('environments')
      .comment('The booked environment');
    table
      .string('requester_ref', 255)
      .notNullable()
      .comment('User who asked for it');
    table
      .string('team_ref', 255)
      .nullable()
      .comment('Group the booking is for');
    table.string('title', 200).notNullable();
    table
      .string('purpose', 32)
      .notNullable()
      .comment('testing | demo | deployment | ...');
    table.text('reason').nullable();
    table
      .string('external_link', 2048)
      .nullable()
      .comment('Ticket or pull request');
    table.dateTime('starts_at').notNullable();
    table.dateTime('ends_at').notNullable().comment('Exclusive');
    table
      .string('status', 16)
      .notNullable()
      .comment(
        'pending | approved | released | expired | rejected | cancelled',
      );
    table
      .dateTime('original_ends_at')
      .notNullable()
      .comment('End before any extension');
    table
      .integer('extension_count')
      .notNullable()
      .comment('How often it was extended');
    table.dateTime('created_at').notNullable();
    table.dateTime('updated_at').notNullable();
    table.index(
      ['environment_ref', 'starts_at', 'ends_at'],
      'bookings_environment_time_idx',
    );
    table.index(['status', 'ends_at'], 'bookings_status_end_idx');
    table.index(['requester_ref'], 'bookings_requester_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('bookings');
};
