import type { MigrationDatabase } from '@botgate/core';

/** Bot deploys (`v3/automations/deploy`): a queued job each, with the Control Room's names for it and where to call back. */
export const up = async (knex: MigrationDatabase): Promise<void> => {
  await knex.schema.createTable('api_task_deployments', (t) => {
    t.string('deployment_id', 64).primary();
    t.integer('job_id').notNullable().unique();
    t.integer('file_id').notNullable();
    t.string('automation_name', 400).notNullable();
    t.integer('user_id').notNullable();
    t.string('username', 200).notNullable();
    t.text('callback_url');
    t.text('callback_headers');
    t.bigInteger('created_at').notNullable();
    t.index(['created_at'], 'api_task_deployments_created_idx');
  });
};

export const down = async (knex: MigrationDatabase): Promise<void> => {
  await knex.schema.dropTable('api_task_deployments');
};
