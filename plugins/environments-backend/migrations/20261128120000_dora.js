// @ts-check

/**
 * DORA metrics: the commit time of each deployment (the start of its lead time), and the
 * history of SLO evaluations, from which fast burns and breaches (and their recovery) are read.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('deployments', table => {
    table
      .dateTime('committed_at', { precision: 3 })
      .nullable()
      .comment(
        'When the deployed commit was committed; null when CI does not say',
      );
  });
  await knex.schema.createTable('slo_snapshots', table => {
    table.comment('SLO objectives evaluated by the SLO history task');
    table.bigIncrements('id').primary();
    table
      .string('entity_ref', 255)
      .notNullable()
      .comment('The component the SLO belongs to');
    table.string('slo_name', 255).notNullable();
    table.string('objective', 255).notNullable();
    table
      .string('environment_ref', 255)
      .nullable()
      .comment('The environment evaluated; null for an SLO not scoped by one');
    table.dateTime('at', { precision: 3 }).notNullable();
    table.double('sli').nullable().comment('Attainment over the SLO window');
    table.double('budget_remaining').nullable().comment('1 untouched, 0 spent');
    table
      .double('short_burn_rate')
      .nullable()
      .comment('Of the fastest page-severity window');
    table
      .double('long_burn_rate')
      .nullable()
      .comment('Of the fastest page-severity window');
    table
      .boolean('fast_burn')
      .notNullable()
      .comment('A page-severity burn-rate alert would fire');
    table
      .boolean('breached')
      .notNullable()
      .comment('Budget exhausted or objective missed');
    table.index(['entity_ref', 'at'], 'slo_snapshots_entity_idx');
    table.index(['at'], 'slo_snapshots_at_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('slo_snapshots');
  // A plain DROP COLUMN, as the health-checks migration does (Knex copies tables on SQLite).
  await knex.raw('ALTER TABLE ?? DROP COLUMN ??', [
    'deployments',
    'committed_at',
  ]);
};
