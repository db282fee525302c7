// @ts-check

/**
 * Administration: booking policies stored by administrators (over the configured ones), and
 * administrator overrides of an environment's catalog values. The overrides live in columns of
 * their own, which the catalog sync never writes, so they survive it. Audit events about a policy
 * or an environment name it by key or entity ref, longer than the UUIDs of bookings.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('booking_policies', table => {
    table.comment(
      'Booking policies set by administrators; a scope without a row uses the configured policy',
    );
    table
      .string('scope', 16)
      .notNullable()
      .comment('global | tier | environment');
    table
      .string('scope_key', 255)
      .notNullable()
      .comment("'' for global, the tier, or the environment's entity ref");
    table
      .text('settings')
      .notNullable()
      .comment(
        'JSON of the policy fields set at this scope (validated by the plugin)',
      );
    table.string('updated_by_ref', 255).notNullable();
    table.dateTime('updated_at').notNullable();
    table.primary(['scope', 'scope_key']);
  });
  await knex.schema.alterTable('environments', table => {
    table
      .boolean('bookable_override')
      .nullable()
      .comment(
        'Set by an administrator over the catalog; null = the catalog value',
      );
    table
      .integer('capacity_override')
      .nullable()
      .comment(
        'Set by an administrator over the catalog; null = the catalog value',
      );
    table
      .text('component_slots_override')
      .nullable()
      .comment('JSON array of component refs; null = the catalog value');
  });
  await knex.schema.alterTable('audit_events', table => {
    table.string('subject_id', 255).notNullable().alter();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  // Only policy and environment events have ids that no longer fit; they go with the feature.
  await knex('audit_events')
    .whereIn('subject_type', ['policy', 'environment'])
    .delete();
  await knex.schema.alterTable('audit_events', table => {
    table.string('subject_id', 36).notNullable().alter();
  });
  // A plain DROP COLUMN: Knex drops columns on SQLite by copying the table, and SQLite refuses
  // to drop `environments` while bookings refer to it.
  for (const column of [
    'bookable_override',
    'capacity_override',
    'component_slots_override',
  ]) {
    await knex.raw('ALTER TABLE ?? DROP COLUMN ??', ['environments', column]);
  }
  await knex.schema.dropTable('booking_policies');
};
