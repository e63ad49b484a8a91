import type { Knex } from 'knex';

export const up = async (knex: Knex): Promise<void> => {
  await knex.schema.createTable('automations', (t) => {
    t.string('id', 200).primary();
    t.integer('file_id').notNullable().unique();
    t.bigInteger('created_at').notNullable();
  });
  await knex.schema.createTable('jobs', (t) => {
    t.increments('id').primary();
    t.string('automation_id', 200).notNullable();
    t.string('adapter', 50).notNullable();
    t.string('state', 20).notNullable();
    t.text('inputs').notNullable();
    t.text('input_files').notNullable();
    t.text('outputs').notNullable();
    t.text('output_files').notNullable();
    t.integer('exit_code');
    t.text('error');
    t.string('error_code', 40);
    t.text('log').notNullable();
    t.integer('attempt').notNullable();
    t.integer('max_attempts').notNullable();
    t.string('idempotency_key', 200);
    t.text('work_dir').notNullable();
    t.boolean('cancel_requested').notNullable();
    t.text('metadata').notNullable();
    t.string('lease_owner', 200);
    t.bigInteger('lease_expires_at');
    t.bigInteger('created_at').notNullable();
    t.bigInteger('started_at');
    t.bigInteger('finished_at');
    t.index(['state', 'automation_id', 'id'], 'jobs_claim_idx');
    t.index(['automation_id', 'id'], 'jobs_automation_idx');
    t.index(['lease_owner', 'state'], 'jobs_lease_idx');
    t.index(['finished_at'], 'jobs_finished_idx');
  });
  // A key answers the job it first created until it expires; the primary key makes concurrent
  // duplicates collide in the database rather than in a race between two reads.
  await knex.schema.createTable('idempotency_keys', (t) => {
    t.string('automation_id', 200).notNullable();
    t.string('key', 200).notNullable();
    t.integer('job_id').notNullable();
    t.bigInteger('expires_at').notNullable();
    t.primary(['automation_id', 'key']);
  });
};

export const down = async (knex: Knex): Promise<void> => {
  await knex.schema.dropTable('idempotency_keys');
  await knex.schema.dropTable('jobs');
  await knex.schema.dropTable('automations');
};
