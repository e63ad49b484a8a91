import type { MigrationDatabase } from '@botgate/core';

/**
 * `callback_due`: the deploy's callback is not written yet. The look for callbacks to write read
 * every deploy with a callback URL, the called back ones included, and probed the callbacks for
 * each: a look cost every deploy ever made, and ran after every run's end. With the flag and its
 * partial index, a look costs the deploys still waiting for theirs.
 */
export const up = async (knex: MigrationDatabase): Promise<void> => {
  // Due unless known otherwise: a deploy written by an older node during an upgrade (which knows
  // no such column) is looked at once its run ends, and taken off then if it has no callback.
  await knex.schema.alterTable('api_task_deployments', (t) => {
    t.boolean('callback_due').notNullable().defaultTo(true);
  });
  await knex.raw(
    `UPDATE api_task_deployments SET callback_due = ? WHERE callback_url IS NULL
       OR EXISTS (SELECT 1 FROM api_task_callbacks c WHERE c.deployment_id = api_task_deployments.deployment_id)`,
    [false],
  );
  await knex.raw(
    'CREATE INDEX api_task_deployments_callback_due_idx ON api_task_deployments (created_at, deployment_id) WHERE callback_due',
  );
};

export const down = async (knex: MigrationDatabase): Promise<void> => {
  await knex.raw('DROP INDEX IF EXISTS api_task_deployments_callback_due_idx');
  await knex.schema.alterTable('api_task_deployments', (t) => {
    t.dropColumn('callback_due');
  });
};
