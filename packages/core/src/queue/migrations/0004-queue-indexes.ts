import type { Knex } from 'knex';

/**
 * PostgreSQL keeps the old versions of updated rows, and their index entries, until vacuum: with
 * only the (state, automation_id, id) index, every claim walked past the entries of the jobs
 * already claimed (a 100,000-job drain ran at a third of a 10,000-job one). Partial indexes hold
 * only queued and only running jobs, so a claim starts at the live head of the queue and the
 * running count reads a handful of entries. SQLite updates in place and needs neither.
 */
export const up = async (knex: Knex): Promise<void> => {
  if (knex.client.config.client !== 'pg') return;
  await knex.raw(`CREATE INDEX IF NOT EXISTS jobs_queued_idx ON jobs (automation_id, id) WHERE state = 'queued'`);
  await knex.raw(`CREATE INDEX IF NOT EXISTS jobs_running_idx ON jobs (automation_id) WHERE state = 'running'`);
};

export const down = async (knex: Knex): Promise<void> => {
  if (knex.client.config.client !== 'pg') return;
  await knex.raw('DROP INDEX IF EXISTS jobs_queued_idx');
  await knex.raw('DROP INDEX IF EXISTS jobs_running_idx');
};
