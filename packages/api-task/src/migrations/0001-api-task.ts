import type { MigrationDatabase } from '@botgate/core';

export const up = async (knex: MigrationDatabase): Promise<void> => {
  // Passwords and API keys only as scrypt hashes.
  await knex.schema.createTable('api_task_users', (t) => {
    t.increments('id').primary();
    t.string('username', 200).notNullable().unique();
    t.string('role', 20).notNullable();
    t.text('password_hash');
    t.text('api_key_hash').notNullable();
    t.bigInteger('created_at').notNullable();
  });
  await knex.schema.createTable('api_task_allocations', (t) => {
    t.string('id', 64).primary();
    t.integer('file_id').notNullable().unique();
    t.string('automation_id', 200).notNullable();
    t.string('run_as_user_or_none', 100);
    t.integer('concurrency_limit').notNullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
  });
};

export const down = async (knex: MigrationDatabase): Promise<void> => {
  await knex.schema.dropTable('api_task_allocations');
  await knex.schema.dropTable('api_task_users');
};
