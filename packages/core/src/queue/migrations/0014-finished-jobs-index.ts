import type { Knex } from 'knex';

/**
 * `jobs_finished_idx` holds the finished jobs only. Every query that reads it asks for a
 * `finished_at` at or past some time (the console's changes and minutes, the ended-jobs cursor,
 * the cleanup), which no queued or running job has, so their entries were written for nothing: at
 * every enqueue, and on PostgreSQL at every claim too (a change of state is never a HOT update,
 * so every full index gets a new entry). Both databases use a partial index for such a query.
 */
export const up = async (knex: Knex): Promise<void> => {
  await knex.raw('DROP INDEX IF EXISTS jobs_finished_idx');
  await knex.raw('CREATE INDEX jobs_finished_idx ON jobs (finished_at) WHERE finished_at IS NOT NULL');
};

export const down = async (knex: Knex): Promise<void> => {
  await knex.raw('DROP INDEX IF EXISTS jobs_finished_idx');
  await knex.raw('CREATE INDEX jobs_finished_idx ON jobs (finished_at)');
};
