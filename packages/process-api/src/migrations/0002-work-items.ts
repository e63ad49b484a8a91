import type { MigrationDatabase } from '@botgate/core';

/**
 * Process work items, as Robocorp keeps them: made before a run (`POST …/work-items`, with files
 * uploaded through a grant) or with it (`POST …/runs`), each in at most one run at a time. A
 * grant used once is kept until it expires, so it cannot be used again.
 */
export const up = async (knex: MigrationDatabase): Promise<void> => {
  await knex.schema.createTable('process_api_work_items', (t) => {
    // The order items were made in: the cursor of their pages.
    t.increments('seq').primary();
    t.string('id', 64).notNullable().unique();
    t.string('process_id', 64).notNullable();
    t.string('run_id', 64);
    t.text('payload').notNullable();
    t.text('files').notNullable();
    t.bigInteger('created_at').notNullable();
    t.index(['process_id', 'seq'], 'process_api_work_items_process_idx');
    t.index(['run_id'], 'process_api_work_items_run_idx');
  });
  // A run over work items made beforehand names the first; a retry's run names the same item again.
  await knex.schema.alterTable('process_api_runs', (t) => {
    t.dropUnique(['work_item_id']);
  });
  await knex.schema.createTable('process_api_used_grants', (t) => {
    t.string('jti', 64).primary();
    t.bigInteger('expires_at').notNullable();
  });
};

export const down = async (knex: MigrationDatabase): Promise<void> => {
  await knex.schema.dropTable('process_api_used_grants');
  await knex.schema.alterTable('process_api_runs', (t) => {
    t.unique(['work_item_id']);
  });
  await knex.schema.dropTable('process_api_work_items');
};
