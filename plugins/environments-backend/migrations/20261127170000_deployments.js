// @ts-check

/**
 * Deployments reported by CI systems, kept so the deployed-version map survives a CI outage and
 * later feeds DORA metrics. One row per deployment: the sync writes it again when its status
 * changes, never twice.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('deployments', table => {
    table.comment('Deployments reported by CI providers');
    table.string('id', 64).primary().comment('Our id');
    table
      .string('provider', 64)
      .notNullable()
      .comment('CI provider id, e.g. github');
    table
      .string('external_id', 255)
      .notNullable()
      .comment('The id the CI system gives it');
    table
      .string('entity_ref', 255)
      .notNullable()
      .comment('The component deployed');
    table
      .string('environment_name', 255)
      .notNullable()
      .comment('The environment as the CI system names it');
    table
      .string('environment_ref', 255)
      .nullable()
      .comment('The catalog environment it was matched to, if any');
    table.string('version', 255).nullable();
    table.string('commit_sha', 64).nullable();
    table.string('status', 32).notNullable();
    table.dateTime('deployed_at', { precision: 3 }).notNullable();
    table.string('deployed_by', 255).nullable();
    table.text('url').nullable();
    table.dateTime('synced_at', { precision: 3 }).notNullable();
    // Per entity: components sharing a repository (a monorepo) each keep their deployments.
    table.unique(['provider', 'entity_ref', 'external_id'], {
      indexName: 'deployments_provider_entity_external_id_uniq',
    });
    table.index(
      ['environment_ref', 'deployed_at'],
      'deployments_environment_idx',
    );
    table.index(['entity_ref', 'deployed_at'], 'deployments_entity_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('deployments');
};
