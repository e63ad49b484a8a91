import type { Knex } from 'knex';

/**
 * Every index on `jobs` is written at each enqueue, and on PostgreSQL at each change of state too
 * (a changed `state` is never a HOT update, because partial indexes name it). Two of the first
 * migration's indexes had become copies of others:
 * - `jobs_lease_idx (lease_owner, state)`: every query by lease owner also asks for running jobs,
 *   which the running jobs' own index (PostgreSQL) or the state-first claim index (SQLite) reads.
 * - on PostgreSQL, `jobs_claim_idx (state, automation_id, id)`: claims and running counts read the
 *   partial indexes of 0004. What it still served was the console's list by state, which a partial
 *   index of the jobs that did not succeed takes over (written only when a job ends that way);
 *   the other states are the common ones, found walking the newest ids.
 * On PostgreSQL a bulk insert of 100,000 jobs took 1.25–1.34 s with both, 0.60–0.62 s without.
 */
export const up = async (knex: Knex): Promise<void> => {
  await knex.raw('DROP INDEX IF EXISTS jobs_lease_idx');
  if (knex.client.config.client !== 'pg') return;
  await knex.raw(
    `CREATE INDEX IF NOT EXISTS jobs_unsuccessful_idx ON jobs (state, id) WHERE state IN ('failed', 'timed_out', 'canceled')`,
  );
  await knex.raw('DROP INDEX IF EXISTS jobs_claim_idx');
};

export const down = async (knex: Knex): Promise<void> => {
  await knex.raw('CREATE INDEX IF NOT EXISTS jobs_lease_idx ON jobs (lease_owner, state)');
  if (knex.client.config.client !== 'pg') return;
  await knex.raw('CREATE INDEX IF NOT EXISTS jobs_claim_idx ON jobs (state, automation_id, id)');
  await knex.raw('DROP INDEX IF EXISTS jobs_unsuccessful_idx');
};
