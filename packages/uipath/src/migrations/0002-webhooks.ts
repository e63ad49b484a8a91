import type { MigrationDatabase } from '@botgate/core';

export const up = async (knex: MigrationDatabase): Promise<void> => {
  // Orchestrator's webhooks: the tenant's, with the job events each subscribes to.
  await knex.schema.createTable('uipath_webhooks', (t) => {
    t.increments('id').primary();
    t.string('url', 2000).notNullable();
    t.string('secret', 100).nullable();
    t.boolean('enabled').notNullable();
    t.boolean('subscribe_all').notNullable();
    // A JSON array of event types (`job.completed`, …), when not all.
    t.string('events', 1000).notNullable();
    t.bigInteger('created_at').notNullable();
  });
  // One delivery per webhook and job end, delivered at least once by core's dispatcher.
  await knex.schema.createTable('uipath_deliveries', (t) => {
    t.string('id', 64).primary();
    t.integer('webhook_id').notNullable();
    t.integer('job_id').notNullable().index();
    t.text('url').notNullable();
    t.text('body').notNullable();
    t.string('state', 20).notNullable();
    t.integer('attempts').notNullable();
    t.bigInteger('next_attempt_at').notNullable();
    t.integer('last_status');
    t.text('last_error');
    t.bigInteger('created_at').notNullable();
    t.bigInteger('delivered_at');
    t.unique(['webhook_id', 'job_id']);
    t.index(['state', 'next_attempt_at']);
  });
  await knex.schema.createTable('uipath_delivery_attempts', (t) => {
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
  for (const table of ['uipath_delivery_attempts', 'uipath_deliveries', 'uipath_webhooks'])
    await knex.schema.dropTable(table);
};
