import type { MigrationDatabase } from '@botgate/core';

/**
 * Where the webhook dispatcher's last whole look back over ended jobs began (core's delivery
 * dispatcher, `tables.marks`): a start looks back from there, not over every job since the first
 * webhook was set.
 */
export const up = async (knex: MigrationDatabase): Promise<void> => {
  await knex.schema.createTable('uipath_delivery_marks', (t) => {
    t.string('name', 64).primary();
    t.bigInteger('at').notNullable();
  });
};

export const down = async (knex: MigrationDatabase): Promise<void> => {
  await knex.schema.dropTable('uipath_delivery_marks');
};
