import type { Knex } from 'knex';
import { moveSql } from '../transition.js';
import * as claimFunction from './0003-claim-function.js';

/**
 * Attempts are data: every ended run of a job is a row of `job_attempts`, and a retry waits for
 * its backoff in `run_after` (a not-before time on the row, so it survives restarts and any node
 * claims it). On PostgreSQL the claim function learns both; its guard comes from the transition
 * table, inlined so that the planner still picks the partial index of queued jobs.
 */
export const up = async (knex: Knex): Promise<void> => {
  await knex.schema.alterTable('jobs', (t) => {
    t.bigInteger('run_after');
  });
  await knex.schema.createTable('job_attempts', (t) => {
    t.increments('id').primary();
    t.integer('job_id').notNullable();
    t.integer('number').notNullable();
    t.string('node_id', 200);
    t.bigInteger('started_at');
    t.bigInteger('ended_at').notNullable();
    // succeeded | failed | timed_out | canceled | interrupted
    t.string('state', 20).notNullable();
    t.string('error_code', 40);
    t.text('error');
    t.integer('exit_code');
    t.text('log').notNullable();
    t.index(['job_id', 'number'], 'job_attempts_job_idx');
  });
  // The readiness check's write, one row per node, while writes are failing.
  await knex.schema.createTable('botgate_write_probes', (t) => {
    t.string('node_id', 200).primary();
    t.bigInteger('at').notNullable();
  });
  if (knex.client.config.client !== 'pg') return;
  const claim = moveSql('running');
  await knex.raw(`
    CREATE OR REPLACE FUNCTION botgate_claim_jobs(p_automation text, p_limit integer, p_concurrency integer, p_node text, p_lease_ms bigint, p_only_id integer)
    RETURNS SETOF jobs LANGUAGE plpgsql VOLATILE AS $$
    DECLARE
      v_free integer;
      v_now bigint;
    BEGIN
      PERFORM pg_advisory_xact_lock(hashtextextended('claim:' || p_automation, 0));
      -- Taken after the lock: a claim that waited for it starts now, not when it began to wait.
      v_now := floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint;
      SELECT least(p_limit, p_concurrency - count(*)) INTO v_free FROM jobs WHERE automation_id = p_automation AND state = 'running';
      IF v_free <= 0 THEN
        RETURN;
      END IF;
      -- The last attempt's error, exit code and log are in job_attempts; the row starts clean.
      RETURN QUERY
        UPDATE jobs SET ${claim.set}, lease_owner = p_node, lease_expires_at = v_now + p_lease_ms, started_at = v_now, attempt = attempt + 1,
                        run_after = NULL, error = NULL, error_code = NULL, exit_code = NULL, log = ''
         WHERE id IN (
           SELECT id FROM jobs
            WHERE ${claim.guard} AND automation_id = p_automation AND (p_only_id IS NULL OR id = p_only_id)
              AND (run_after IS NULL OR run_after <= v_now)
            ORDER BY id LIMIT v_free FOR UPDATE SKIP LOCKED)
        RETURNING *;
    END
    $$`);
};

export const down = async (knex: Knex): Promise<void> => {
  await claimFunction.up(knex);
  await knex.schema.dropTable('botgate_write_probes');
  await knex.schema.dropTable('job_attempts');
  await knex.schema.alterTable('jobs', (t) => {
    t.dropColumn('run_after');
  });
};
