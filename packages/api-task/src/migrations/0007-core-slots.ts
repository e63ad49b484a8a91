import type { MigrationDatabase } from '@botgate/core';

/** An allocation's slots are core's now (`concurrency_slots`, keyed `api-task:<allocation>`); a count in flight lasts a lease. */
export const up = async (knex: MigrationDatabase): Promise<void> => {
  await knex.schema.dropTableIfExists('api_task_slots');
};

// Back to the table 0002 made.
export { up as down } from './0002-slots.js';
