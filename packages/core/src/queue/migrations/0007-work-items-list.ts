import type { Knex } from 'knex';

/** A job may carry several input work items, each with its own files (a Robocorp run over work items made beforehand). */
export const up = async (knex: Knex): Promise<void> => {
  await knex.schema.alterTable('jobs', (t) => {
    t.text('work_items');
  });
};

export const down = async (knex: Knex): Promise<void> => {
  await knex.schema.alterTable('jobs', (t) => {
    t.dropColumn('work_items');
  });
};
