// @ts-check

/**
 * The plugin's state of each environment known from the catalog. Catalog facts (title, tier,
 * owner, capacity) are a snapshot refreshed by the catalog sync so that SQL can filter on them;
 * `status` and the timestamps are owned by the plugin.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('environments', table => {
    table.comment(
      'Environments known from the catalog, with the state the plugin keeps',
    );
    table
      .string('entity_ref', 255)
      .primary()
      .comment('Entity ref of the Resource, e.g. resource:default/qa-1');
    table
      .string('title', 255)
      .nullable()
      .comment('metadata.title at the last sync');
    table
      .string('tier', 63)
      .notNullable()
      .comment('Tier annotation, or unknown');
    table
      .string('owner_ref', 255)
      .nullable()
      .comment('Owning group at the last sync');
    table
      .string('system_ref', 255)
      .nullable()
      .comment('System at the last sync');
    table.boolean('bookable').notNullable().comment('Whether it can be booked');
    table
      .integer('capacity')
      .notNullable()
      .comment('Concurrent bookings allowed; 1 = exclusive');
    table
      .string('status', 16)
      .notNullable()
      .comment('available | maintenance | retired');
    table
      .dateTime('status_changed_at')
      .notNullable()
      .comment('When status last changed');
    table
      .dateTime('first_seen_at')
      .notNullable()
      .comment('First sync that saw it');
    table
      .dateTime('last_seen_at')
      .notNullable()
      .comment('Last sync that saw it');
    table
      .dateTime('removed_at')
      .nullable()
      .comment('When it disappeared from the catalog; null while present');
    table.index(['tier'], 'environments_tier_idx');
    table.index(['owner_ref'], 'environments_owner_ref_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('environments');
};
