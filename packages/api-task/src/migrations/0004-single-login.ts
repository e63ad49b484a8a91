import type { MigrationDatabase } from '@botgate/core';

/** A sign-in with `multipleLogin: false` ends the user tokens issued before it: when, per user. */
export const up = async (knex: MigrationDatabase): Promise<void> => {
  await knex.schema.alterTable('api_task_users', (t) => {
    t.bigInteger('single_login_since');
  });
};

export const down = async (knex: MigrationDatabase): Promise<void> => {
  await knex.schema.alterTable('api_task_users', (t) => {
    t.dropColumn('single_login_since');
  });
};
