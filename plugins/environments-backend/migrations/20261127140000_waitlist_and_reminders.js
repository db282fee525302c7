// @ts-check

/**
 * The waitlist: people who want an environment for a slot that is taken. When the slot frees up,
 * the first waiter gets a timed hold on it; if they do not claim it in time, the next one does.
 * Also remembers which bookings were reminded of their end.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('waitlist', table => {
    table.comment('Requests waiting for a taken slot');
    table.string('id', 36).primary().comment('UUID');
    table
      .string('environment_ref', 255)
      .notNullable()
      .references('entity_ref')
      .inTable('environments');
    table.string('requester_ref', 255).notNullable();
    table.string('team_ref', 255).nullable();
    table.string('title', 200).notNullable();
    table.string('purpose', 32).notNullable();
    table.dateTime('starts_at').notNullable().comment('The wanted slot');
    table.dateTime('ends_at').notNullable();
    table
      .string('status', 16)
      .notNullable()
      .comment('waiting | offered | claimed | lapsed | left');
    table.dateTime('offered_at').nullable();
    table
      .dateTime('hold_expires_at')
      .nullable()
      .comment('End of the hold while offered');
    table
      .string('booking_id', 36)
      .nullable()
      .comment('The booking made from a claim');
    table.dateTime('created_at').notNullable().comment('Queue order');
    table.index(
      ['environment_ref', 'status', 'created_at'],
      'waitlist_queue_idx',
    );
  });
  await knex.schema.alterTable('bookings', table => {
    table
      .dateTime('reminder_sent_at')
      .nullable()
      .comment('When the end reminder went out');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('bookings', table => {
    table.dropColumn('reminder_sent_at');
  });
  await knex.schema.dropTable('waitlist');
};
