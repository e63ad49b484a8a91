import type { Knex } from 'knex';

/** Robocorp work items: the payload exactly as the caller sent it, and the items the robot wrote. */
export const up = async (knex: Knex): Promise<void> => {
  await knex.schema.alterTable('jobs', (t) => {
    t.text('work_item');
    t.text('output_work_items').notNullable().defaultTo('[]');
  });
};

export const down = async (knex: Knex): Promise<void> => {
  await knex.schema.alterTable('jobs', (t) => {
    t.dropColumn('work_item');
    t.dropColumn('output_work_items');
  });
};
