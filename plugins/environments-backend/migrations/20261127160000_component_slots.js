// @ts-check

/**
 * Component slots: a booking (or a place on the waitlist) may be for one component of a shared
 * environment instead of the whole environment.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('bookings', table => {
    table
      .string('component_ref', 255)
      .nullable()
      .comment('Component slot; null = whole environment');
  });
  await knex.schema.alterTable('waitlist', table => {
    table
      .string('component_ref', 255)
      .nullable()
      .comment('Component slot; null = whole environment');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('waitlist', table => {
    table.dropColumn('component_ref');
  });
  await knex.schema.alterTable('bookings', table => {
    table.dropColumn('component_ref');
  });
};
