import type { MigrationDatabase } from '@botgate/core';

/** Real-time runs in flight per allocation and node, so `concurrencyLimit` holds across a cluster. */
export const up = async (knex: MigrationDatabase): Promise<void> => {
  await knex.schema.createTable('api_task_slots', (t) => {
    t.string('allocation_id', 64).notNullable();
    t.string('node_id', 200).notNullable();
    t.integer('active').notNullable();
    // A node that dies stops renewing: its count stops counting once this passes.
    t.bigInteger('expires_at').notNullable();
    t.primary(['allocation_id', 'node_id']);
  });
};

export const down = async (knex: MigrationDatabase): Promise<void> => {
  await knex.schema.dropTable('api_task_slots');
};
