// @ts-check

/**
 * Usage analytics and idle release. `booking_refusals` keeps the booking requests the plugin
 * refused (a refusal rolls its transaction back, so it leaves no other row), for the count of
 * refused conflicts. On `bookings`: when an idle booking's holder was offered its release, when
 * they last said to keep it (which restarts the idle clock), and why a booking was released
 * when the plugin released it.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('booking_refusals', table => {
    table.comment('Booking requests that were refused');
    table.bigIncrements('id').primary();
    table
      .string('environment_ref', 255)
      .notNullable()
      .comment('The environment asked for');
    table.dateTime('at', { precision: 3 }).notNullable();
    table
      .string('kind', 16)
      .notNullable()
      .comment('conflict | policy | blackout | status');
    table.string('requester_ref', 255).notNullable().comment('User who asked');
    table.index(['environment_ref', 'at'], 'booking_refusals_env_idx');
  });
  await knex.schema.alterTable('bookings', table => {
    table
      .dateTime('idle_offered_at', { precision: 3 })
      .nullable()
      .comment(
        'When the holder was offered to release it as idle; null when no offer is open',
      );
    table
      .dateTime('idle_kept_at', { precision: 3 })
      .nullable()
      .comment(
        'When the holder last chose to keep it; restarts the idle clock',
      );
    table
      .string('release_reason', 16)
      .nullable()
      .comment('idle when the plugin released it; null otherwise');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('bookings', table => {
    table.dropColumn('idle_offered_at');
    table.dropColumn('idle_kept_at');
    table.dropColumn('release_reason');
  });
  await knex.schema.dropTable('booking_refusals');
};
