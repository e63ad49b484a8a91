import type { MigrationDatabase } from '@botgate/core';

/**
 * Each process's last run number, a row per process (core's `createSequence`): a trigger locks
 * and reads it in one statement, where an advisory lock and a `max()` over the runs were two. A
 * process without a row yet counts on from its runs' largest number.
 */
export const up = async (knex: MigrationDatabase): Promise<void> => {
  await knex.schema.createTable('process_api_run_numbers', (t) => {
    t.string('sequence_key', 64).primary();
    t.integer('last_number').notNullable();
  });
};

export const down = async (knex: MigrationDatabase): Promise<void> => {
  await knex.schema.dropTable('process_api_run_numbers');
};
