// @ts-check

/**
 * Who approved or rejected a booking that needed approval, when, and the note they left.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('bookings', table => {
    table
      .string('decided_by_ref', 255)
      .nullable()
      .comment('Approver or rejecter');
    table.dateTime('decided_at').nullable();
    table.text('decision_note').nullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('bookings', table => {
    table.dropColumn('decided_by_ref');
    table.dropColumn('decided_at');
    table.dropColumn('decision_note');
  });
};
