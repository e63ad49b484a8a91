import type { Knex } from 'knex';
import { moveSql } from '../transition.js';

/**
 * PostgreSQL: the queued jobs' ids in a table of their own, kept by triggers on `jobs`, and the
 * claim functions read the queue from it.
 *
 * A backlog drains from its oldest job, so every finished job has a lower id than every queued
 * one. The claims asked `jobs` for its lowest queued id, and while most rows were queued the
 * planner judged walking the primary key up to the first queued row as cheap as the queued jobs'
 * partial index; but that walk reads every finished row first. Each claim got slower as a drain
 * went on: a 100,000-job drain fell to a tenth of its rate, and statistics could not help, since
 * the estimate was right and the rows' order was the problem. `botgate_queue` has one index, its
 * primary key (automation, job), so a queue's head is one index seek whatever the statistics say.
 *
 * It changes in the job's own transaction. A claim, the hot path, takes its jobs out of the queue
 * in the statement that starts them. Triggers keep every other change: rows inserted queued (a
 * statement's rows at once), and rows moved to queued, or from queued to anything but running
 * (the WHEN clause keeps every other update, a lease renewal or a log, free of them). A retry's
 * not-before time moves with the row. Should any other statement ever move a job from queued to
 * running, its queue row would be taken and dropped by the next claim, which starts only rows
 * still queued.
 */
export const up = async (knex: Knex): Promise<void> => {
  if (knex.client.config.client !== 'pg') return;
  await knex.raw(`
    CREATE TABLE IF NOT EXISTS botgate_queue (
      automation_id varchar(200) NOT NULL,
      job_id integer NOT NULL,
      run_after bigint,
      PRIMARY KEY (automation_id, job_id)
    )`);
  await knex.raw(`
    CREATE OR REPLACE FUNCTION botgate_queue_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO botgate_queue (automation_id, job_id, run_after)
        SELECT automation_id, id, run_after FROM inserted_jobs WHERE state = 'queued';
      RETURN NULL;
    END
    $$`);
  await knex.raw(`
    CREATE OR REPLACE FUNCTION botgate_queue_moved() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      -- Queued now (again, or with a new not-before time): one row, kept or made.
      IF TG_OP = 'UPDATE' AND NEW.state = 'queued' THEN
        INSERT INTO botgate_queue (automation_id, job_id, run_after) VALUES (NEW.automation_id, NEW.id, NEW.run_after)
          ON CONFLICT (automation_id, job_id) DO UPDATE SET run_after = excluded.run_after;
      ELSE
        DELETE FROM botgate_queue WHERE automation_id = OLD.automation_id AND job_id = OLD.id;
      END IF;
      RETURN NULL;
    END
    $$`);
  await knex.raw('DROP TRIGGER IF EXISTS botgate_queue_insert ON jobs');
  await knex.raw(`CREATE TRIGGER botgate_queue_insert AFTER INSERT ON jobs REFERENCING NEW TABLE AS inserted_jobs
    FOR EACH STATEMENT EXECUTE FUNCTION botgate_queue_inserted()`);
  await knex.raw('DROP TRIGGER IF EXISTS botgate_queue_update ON jobs');
  await knex.raw(`CREATE TRIGGER botgate_queue_update AFTER UPDATE ON jobs FOR EACH ROW
    WHEN ((OLD.state = 'queued' AND NEW.state NOT IN ('queued', 'running'))
          OR (NEW.state = 'queued' AND (OLD.state <> 'queued' OR OLD.run_after IS DISTINCT FROM NEW.run_after)))
    EXECUTE FUNCTION botgate_queue_moved()`);
  await knex.raw('DROP TRIGGER IF EXISTS botgate_queue_delete ON jobs');
  await knex.raw(`CREATE TRIGGER botgate_queue_delete AFTER DELETE ON jobs FOR EACH ROW WHEN (OLD.state = 'queued')
    EXECUTE FUNCTION botgate_queue_moved()`);
  // Jobs queued before this migration, under the same lock as a claim's, so none is missed.
  await knex.raw('LOCK TABLE jobs IN SHARE ROW EXCLUSIVE MODE');
  await knex.raw(`INSERT INTO botgate_queue (automation_id, job_id, run_after)
    SELECT automation_id, id, run_after FROM jobs WHERE state = 'queued' ON CONFLICT DO NOTHING`);
  await createClaimFunctions(knex, 'queue table');
};

export const down = async (knex: Knex): Promise<void> => {
  if (knex.client.config.client !== 'pg') return;
  await createClaimFunctions(knex, 'jobs');
  for (const trigger of ['botgate_queue_insert', 'botgate_queue_update', 'botgate_queue_delete'])
    await knex.raw(`DROP TRIGGER IF EXISTS ${trigger} ON jobs`);
  await knex.raw('DROP FUNCTION IF EXISTS botgate_queue_inserted()');
  await knex.raw('DROP FUNCTION IF EXISTS botgate_queue_moved()');
  await knex.raw('DROP TABLE IF EXISTS botgate_queue');
};

/**
 * `botgate_claim_jobs` (0005) and `botgate_claim_next` (0009), reading the queue's order from
 * `botgate_queue` (or, to undo this migration, from `jobs` as before). Same locks, same guards.
 */
const createClaimFunctions = async (knex: Knex, source: 'queue table' | 'jobs'): Promise<void> => {
  const claim = moveSql('running');
  const fromQueue = source === 'queue table';
  const head = (automation: string) =>
    fromQueue
      ? `SELECT min(job_id) AS head FROM botgate_queue WHERE automation_id = ${automation}`
      : `SELECT min(id) AS head FROM jobs WHERE state = 'queued' AND automation_id = ${automation}`;
  // The queue table grows by thousands of rows in a burst, faster than its statistics follow: on
  // estimates of a few rows, the planner read all of an automation's queue and sorted it (10,400
  // rows for a claim of 16). With scans that ignore an index's order turned off for the claim,
  // its reads of the queue are walks of the primary key from the head, whatever the estimates.
  const indexOnly = fromQueue ? `SET enable_seqscan = off SET enable_bitmapscan = off` : '';
  // The jobs a claim starts; from the queue table, taken out of it by the same statement.
  const [picked, candidates] = fromQueue
    ? [
        // Materialized, so the locking read runs once: as a subquery of the DELETE it could run
        // again per row, each time past the rows already taken, and take them all.
        `WITH candidates AS MATERIALIZED (
           SELECT job_id FROM botgate_queue
            WHERE automation_id = p_automation AND (p_only_id IS NULL OR job_id = p_only_id)
              AND (run_after IS NULL OR run_after <= v_now)
            ORDER BY job_id LIMIT v_free FOR UPDATE SKIP LOCKED),
         picked AS (
           DELETE FROM botgate_queue q USING candidates c
            WHERE q.automation_id = p_automation AND q.job_id = c.job_id
           RETURNING q.job_id)`,
        'SELECT job_id FROM picked',
      ]
    : [
        '',
        `SELECT id FROM jobs
          WHERE ${claim.guard} AND automation_id = p_automation AND (p_only_id IS NULL OR id = p_only_id)
            AND (run_after IS NULL OR run_after <= v_now)
          ORDER BY id LIMIT v_free FOR UPDATE SKIP LOCKED`,
      ];
  await knex.raw(`
    CREATE OR REPLACE FUNCTION botgate_claim_jobs(p_automation text, p_limit integer, p_concurrency integer, p_node text, p_lease_ms bigint, p_only_id integer)
    RETURNS SETOF jobs LANGUAGE plpgsql VOLATILE ${indexOnly} AS $$
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
      RETURN QUERY ${picked}
        UPDATE jobs SET ${claim.set}, lease_owner = p_node, lease_expires_at = v_now + p_lease_ms, started_at = v_now, attempt = attempt + 1,
                        run_after = NULL, error = NULL, error_code = NULL, exit_code = NULL, log = ''
         WHERE ${claim.guard} AND id IN (${candidates})
        RETURNING *;
    END
    $$`);
  await knex.raw(`
    CREATE OR REPLACE FUNCTION botgate_claim_next(p_wanted json, p_free integer, p_node text, p_lease_ms bigint)
    RETURNS SETOF jobs LANGUAGE plpgsql VOLATILE ${indexOnly} AS $$
    DECLARE
      v_automation text;
      v_locked text[];
      v_wanted record;
      v_claimed integer;
    BEGIN
      v_locked := ARRAY(
        SELECT w.automation_id FROM json_to_recordset(p_wanted) AS w(automation_id text)
         WHERE (${head('w.automation_id')}) IS NOT NULL
         ORDER BY w.automation_id);
      FOREACH v_automation IN ARRAY v_locked LOOP
        PERFORM pg_advisory_xact_lock(hashtextextended('claim:' || v_automation, 0));
      END LOOP;
      FOR v_wanted IN
        SELECT w.automation_id, w.lim, w.conc, h.head
          FROM json_to_recordset(p_wanted) AS w(automation_id text, lim integer, conc integer)
          CROSS JOIN LATERAL (${head('w.automation_id')}) AS h
         WHERE w.automation_id = ANY (v_locked) AND h.head IS NOT NULL
         ORDER BY h.head
      LOOP
        EXIT WHEN p_free <= 0;
        RETURN QUERY SELECT * FROM botgate_claim_jobs(v_wanted.automation_id, least(v_wanted.lim, p_free), v_wanted.conc, p_node, p_lease_ms, NULL);
        GET DIAGNOSTICS v_claimed = ROW_COUNT;
        p_free := p_free - v_claimed;
      END LOOP;
    END
    $$`);
};
