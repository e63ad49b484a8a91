import type { MigrationDatabase } from '@botgate/core';

/** A deploy's callback (`callbackInfo`), kept until delivered (or given up), and every attempt at it. */
export const up = async (knex: MigrationDatabase): Promise<void> => {
  await knex.schema.createTable('api_task_callbacks', (t) => {
    t.string('id', 64).primary();
    t.string('deployment_id', 64).notNullable().unique();
    t.text('url').notNullable();
    t.text('body').notNullable();
    t.string('state', 20).notNullable();
    t.integer('attempts').notNullable();
    t.bigInteger('next_attempt_at').notNullable();
    t.integer('last_status');
    t.text('last_error');
    t.bigInteger('created_at').notNullable();
    t.bigInteger('delivered_at');
    t.index(['state', 'next_attempt_at']);
  });
  await knex.schema.createTable('api_task_callback_attempts', (t) => {
    t.increments('id').primary();
    t.string('delivery_id', 64).notNullable().index();
    t.integer('attempt').notNullable();
    t.bigInteger('at').notNullable();
    t.integer('status');
    t.text('error');
    t.integer('duration_ms').notNullable();
  });
};

export const down = async (knex: MigrationDatabase): Promise<void> => {
  await knex.schema.dropTable('api_task_callback_attempts');
  await knex.schema.dropTable('api_task_callbacks');
};
