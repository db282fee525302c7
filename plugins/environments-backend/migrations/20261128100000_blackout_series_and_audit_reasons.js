// @ts-check

/**
 * Recurring blackouts and the reasons of admin actions. A recurring blackout is stored as one
 * row per occurrence sharing a series id, with the series' rule on each, so every reader of
 * blackouts (the booking check, the environment status, the lists) sees each occurrence as it
 * sees any blackout. Admin actions on bookings (force release, reassign, decisions) record the
 * reason given in the audit log.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('blackouts', table => {
    table
      .string('series_id', 36)
      .nullable()
      .comment('UUID shared by the occurrences of a recurring blackout');
    table
      .string('rrule', 1024)
      .nullable()
      .comment('RFC 5545 RRULE of the series, expanded in UTC');
    table.index(['series_id'], 'blackouts_series_idx');
  });
  await knex.schema.alterTable('audit_events', table => {
    table
      .text('reason')
      .nullable()
      .comment('Why the actor made the change, when they had to say');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('audit_events', table => {
    table.dropColumn('reason');
  });
  await knex.schema.alterTable('blackouts', table => {
    table.dropIndex(['series_id'], 'blackouts_series_idx');
    table.dropColumn('series_id');
    table.dropColumn('rrule');
  });
};
