import type { Knex } from 'knex';
import { jobsChannel } from '../job-notifications.js';
import { batchMoveSql } from '../transition.js';

/**
 * The ends' statement, answering the ended rows: each row guarded by the transition table and its
 * lease owner, its attempt written beside it.
 */
const endedJobsSql = (): string => {
  const move = batchMoveSql('running', 'j.state', 'v.state');
  return `
        WITH v AS MATERIALIZED (
          SELECT * FROM json_to_recordset(p_finished) AS v(id integer, state text, outputs text, output_files text,
            output_work_items text, exit_code integer, error text, error_code text, log text, requeue integer,
            refund integer, finished_at bigint, node text, run_after bigint, attempt_state text, ended_at bigint)),
        done AS (
          UPDATE jobs AS j
             SET ${move.set}, outputs = v.outputs, output_files = v.output_files, output_work_items = v.output_work_items,
                 exit_code = v.exit_code, error = v.error, error_code = v.error_code, log = v.log,
                 lease_owner = NULL, lease_expires_at = NULL,
                 cancel_requested = CASE WHEN v.requeue = 1 THEN j.cancel_requested ELSE false END,
                 max_attempts = j.max_attempts + v.refund, finished_at = v.finished_at, run_after = v.run_after
            FROM v
           WHERE j.id = v.id AND ${move.guard} AND j.lease_owner = v.node
          RETURNING j.*),
        attempts AS (
          INSERT INTO job_attempts (job_id, number, node_id, started_at, ended_at, state, error_code, error, exit_code, log)
          SELECT d.id, d.attempt, v.node, d.started_at, v.ended_at, v.attempt_state, d.error_code, d.error, d.exit_code, d.log
            FROM done d JOIN v ON v.id = d.id)
        SELECT * FROM done`;
};

/**
 * `botgate_end_and_claim` (also 0015's): each ended row answered after `perEnded`, then `after`,
 * with `declare` beside the loop's own variable. Frozen with the migrations that use it: a change
 * here would change what 0013 and 0015 install, so a new version of the function takes a copy.
 */
export const endAndClaimSql = ({
  declare = '',
  perEnded,
  after,
}: {
  declare?: string;
  perEnded: string;
  after: string;
}) => `
    CREATE OR REPLACE FUNCTION botgate_end_and_claim(p_finished json, p_wanted json, p_free integer, p_node text, p_lease_ms bigint)
    RETURNS SETOF jobs LANGUAGE plpgsql VOLATILE AS $$
    DECLARE
      v_row jobs;${declare}
    BEGIN
      FOR v_row IN
        ${endedJobsSql()}
      LOOP
        ${perEnded}
        RETURN NEXT v_row;
      END LOOP;
      ${after}
    END
    $$`;

/**
 * PostgreSQL: `botgate_end_and_claim`, a batch of job ends and the claim of the slots they free
 * in one call, one transaction.
 *
 * A node draining a queue used to wait for two round trips between its jobs: the ends' commit,
 * then a claim, which counts the automation's running jobs and so could not start before the
 * ends were committed. Counted on the client, those two waits were the whole drain rate (0.26 ms
 * a job, in series, with the node half idle). Inside one function the claim sees the ends, since
 * each statement of a plpgsql function reads what the ones before it wrote.
 *
 * The ends are the statement `finishJobs` sent before: each row guarded by the transition table
 * and by its lease owner, its attempt written beside it, and one notification per automation
 * (PostgreSQL folds repeats within a transaction) so other nodes learn of the free slots. The
 * claim is `botgate_claim_next` (0009, 0012), with its locks and guards. Both kinds of rows come
 * back as `jobs` rows: the claimed ones are `running`, and an ended one never is.
 */
export const up = async (knex: Knex): Promise<void> => {
  if (knex.client.config.client !== 'pg') return;
  await knex.raw(
    endAndClaimSql({
      perEnded: `PERFORM pg_notify('${jobsChannel}', v_row.automation_id);`,
      after: `IF p_free > 0 THEN
        RETURN QUERY SELECT * FROM botgate_claim_next(p_wanted, p_free, p_node, p_lease_ms);
      END IF;`,
    }),
  );
};

export const down = async (knex: Knex): Promise<void> => {
  if (knex.client.config.client !== 'pg') return;
  await knex.raw('DROP FUNCTION IF EXISTS botgate_end_and_claim(json, json, integer, text, bigint)');
};
