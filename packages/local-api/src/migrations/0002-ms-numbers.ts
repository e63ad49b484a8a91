import type { MigrationDatabase } from '@botgate/core';

/**
 * Each skill's last `msUnixTime`, a row per skill (core's `createSequence`): a trigger locks and
 * reads it in one statement, where an advisory lock and a `max()` over the jobs were two. A skill
 * without a row yet counts on from its jobs' largest number.
 */
export const up = async (knex: MigrationDatabase): Promise<void> => {
  await knex.schema.createTable('local_api_ms_numbers', (t) => {
    t.string('sequence_key', 64).primary();
    t.bigInteger('last_number').notNullable();
  });
};

export const down = async (knex: MigrationDatabase): Promise<void> => {
  await knex.schema.dropTable('local_api_ms_numbers');
};
