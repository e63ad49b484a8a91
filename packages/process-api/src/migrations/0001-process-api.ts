import type { MigrationDatabase } from '@botgate/core';

export const up = async (knex: MigrationDatabase): Promise<void> => {
  await knex.schema.createTable('process_api_settings', (t) => {
    t.string('key', 100).primary();
    t.text('value').notNullable();
  });
  // One row per automation, made once: its process id never changes. Secrets are kept only as
  // SHA-256 hashes (they are 256-bit random, so a slow hash would add nothing).
  await knex.schema.createTable('process_api_processes', (t) => {
    t.string('automation_id', 200).primary();
    t.string('process_id', 64).notNullable().unique();
    t.string('secret_hash', 64);
    t.bigInteger('secret_created_at');
    t.text('webhook_url');
    // HMAC needs the secret itself, not a hash of it.
    t.string('webhook_secret', 200);
    t.bigInteger('webhook_created_at');
  });
  await knex.schema.createTable('process_api_keys', (t) => {
    t.string('name', 200).primary();
    t.string('key_hash', 64).notNullable().unique();
    t.text('permissions').notNullable();
    t.bigInteger('created_at').notNullable();
  });
  await knex.schema.createTable('process_api_runs', (t) => {
    t.string('run_id', 64).primary();
    t.integer('job_id').notNullable().unique();
    t.string('process_id', 64).notNullable();
    t.string('work_item_id', 64).notNullable().unique();
    t.integer('run_no').notNullable();
    t.bigInteger('created_at').notNullable();
    t.unique(['process_id', 'run_no']);
  });
  // A completion event per run and webhook URL, kept until delivered (or given up), so delivery
  // survives restarts; every attempt is recorded.
  await knex.schema.createTable('process_api_deliveries', (t) => {
    t.string('id', 64).primary();
    t.string('run_id', 64).notNullable();
    t.text('url').notNullable();
    t.text('body').notNullable();
    t.string('state', 20).notNullable();
    t.integer('attempts').notNullable();
    t.bigInteger('next_attempt_at').notNullable();
    t.integer('last_status');
    t.text('last_error');
    t.bigInteger('created_at').notNullable();
    t.bigInteger('delivered_at');
    t.unique(['run_id']);
    t.index(['state', 'next_attempt_at']);
  });
  await knex.schema.createTable('process_api_delivery_attempts', (t) => {
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
  for (const table of [
    'process_api_delivery_attempts',
    'process_api_deliveries',
    'process_api_runs',
    'process_api_keys',
    'process_api_processes',
    'process_api_settings',
  ]) {
    await knex.schema.dropTable(table);
  }
};
