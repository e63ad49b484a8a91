import type { Knex } from 'knex';

/**
 * PostgreSQL: the claim as one server-side function, so it costs one round trip instead of five
 * (BEGIN, lock, count, update, COMMIT). Inside a VOLATILE PL/pgSQL function every statement sees
 * a fresh snapshot, so the count taken after the automation's lock sees every claim committed
 * before it: cluster-wide concurrency holds as with the transaction it replaces. SQLite claims
 * with one statement already and needs nothing.
 */
export const up = async (knex: Knex): Promise<void> => {
  if (knex.client.config.client !== 'pg') return;
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
      RETURN QUERY
        UPDATE jobs SET state = 'running', lease_owner = p_node, lease_expires_at = v_now + p_lease_ms, started_at = v_now, attempt = attempt + 1
         WHERE id IN (
           SELECT id FROM jobs
            WHERE state = 'queued' AND automation_id = p_automation AND (p_only_id IS NULL OR id = p_only_id)
            ORDER BY id LIMIT v_free FOR UPDATE SKIP LOCKED)
        RETURNING *;
    END
    $$`);
};

export const down = async (knex: Knex): Promise<void> => {
  if (knex.client.config.client !== 'pg') return;
  await knex.raw('DROP FUNCTION IF EXISTS botgate_claim_jobs(text, integer, integer, text, bigint, integer)');
};
