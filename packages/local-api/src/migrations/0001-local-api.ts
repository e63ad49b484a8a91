import type { MigrationDatabase } from '@botgate/core';

export const up = async (knex: MigrationDatabase): Promise<void> => {
  // A skill keeps its uuid for good: removing it from the API only disables it, so adding it
  // again gives callers back the uuid they already have, as EMILY's skill uuid does.
  await knex.schema.createTable('local_api_skills', (t) => {
    t.string('automation_id', 200).primary();
    t.string('uuid', 64).notNullable().unique();
    t.boolean('enabled').notNullable();
    t.bigInteger('created_at').notNullable();
  });
  await knex.schema.createTable('local_api_jobs', (t) => {
    t.string('uuid', 64).notNullable();
    t.bigInteger('ms_unix_time').notNullable();
    t.integer('job_id').notNullable().unique();
    t.primary(['uuid', 'ms_unix_time']);
  });
};

export const down = async (knex: MigrationDatabase): Promise<void> => {
  await knex.schema.dropTable('local_api_jobs');
  await knex.schema.dropTable('local_api_skills');
};
