// @ts-check

/**
 * Recurring bookings: a series keeps its RFC 5545 rule; each occurrence is an ordinary booking
 * pointing at it, so it is conflict-checked, listed and released like any other.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('booking_series', table => {
    table.comment('Recurring bookings');
    table.string('id', 36).primary().comment('UUID');
    table
      .string('rrule', 1024)
      .notNullable()
      .comment('RFC 5545 RRULE, expanded in UTC');
    table.string('requester_ref', 255).notNullable();
    table.dateTime('created_at').notNullable();
  });
  await knex.schema.alterTable('bookings', table => {
    table
      .string('series_id', 36)
      .nullable()
      .references('id')
      .inTable('booking_series')
      .comment('The series this booking is an occurrence of');
    table.index(['series_id'], 'bookings_series_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('bookings', table => {
    table.dropIndex(['series_id'], 'bookings_series_idx');
    table.dropForeign(['series_id']);
    table.dropColumn('series_id');
  });
  await knex.schema.dropTable('booking_series');
};
