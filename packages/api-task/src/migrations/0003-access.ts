import { randomBytes } from 'node:crypto';
import type { MigrationDatabase } from '@botgate/core';

/**
 * Access checked against records: each user's access stamp (every token names the one it was
 * signed under), the tokens signed out before they expire, and the failed sign-ins counted by
 * every node (rate-limiter-flexible's table, made here so that it follows the migrations).
 */
export const up = async (knex: MigrationDatabase): Promise<void> => {
  await knex.schema.alterTable('api_task_users', (t) => {
    t.string('access_stamp', 40).notNullable().defaultTo('');
  });
  for (const { id } of await knex<{ id: number }>('api_task_users').select('id')) {
    await knex('api_task_users')
      .where({ id })
      .update({ access_stamp: randomBytes(12).toString('base64url') });
  }
  await knex.schema.createTable('api_task_revoked_tokens', (t) => {
    t.string('jti', 64).primary();
    // Pruned once past: an expired token is refused by its signature's time anyway.
    t.bigInteger('expires_at').notNullable();
  });
  await knex.schema.createTable('api_task_login_limits', (t) => {
    t.string('key', 255).primary();
    t.integer('points').notNullable().defaultTo(0);
    t.bigInteger('expire');
  });
};

export const down = async (knex: MigrationDatabase): Promise<void> => {
  await knex.schema.dropTable('api_task_login_limits');
  await knex.schema.dropTable('api_task_revoked_tokens');
  await knex.schema.alterTable('api_task_users', (t) => {
    t.dropColumn('access_stamp');
  });
};
