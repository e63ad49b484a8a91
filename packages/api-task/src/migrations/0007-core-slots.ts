import type { MigrationDatabase } from '@botgate/core';

/** An allocation's slots are core's now (`concurrency_slots`, keyed `api-task:<allocation>`); a count in flight lasts a lease. */
export const up = async (knex: MigrationDatabase): Promise<void> => {
  await knex.schema.dropTableIfExists('api_task_slots');
};

export const down = async (knex: MigrationDatabase): Promise<void> => {
  await knex.schema.createTable('api_task_slots', (t) => {
    t.string('allocation_id', 64).notNullable();
    t.string('node_id', 200).notNullable();
    t.integer('active').notNullable();
    t.bigInteger('expires_at').notNullable();
    t.primary(['allocation_id', 'node_id']);
  });
};
