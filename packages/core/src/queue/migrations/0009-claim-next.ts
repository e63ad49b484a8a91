import type { Knex } from 'knex';

/**
 * PostgreSQL: a dispatcher's whole look for work as one call. It was two round trips (the
 * automations' heads, then a claim per automation), and a drain of short jobs was bound by round
 * trips, not by the jobs. The function takes the same advisory locks as `botgate_claim_jobs` (it
 * claims through it), all of them first and in the order of their names: two nodes locking
 * several automations in one transaction each could otherwise wait for each other. It then claims
 * in the order the heads were queued, so no automation starves the others, never past `p_free`
 * jobs in all. `p_wanted` is a JSON array of `{ automation_id, lim, conc }`: the automations with
 * room on this node, the slots each has free here, and each one's concurrency across the cluster.
 */
export const up = async (knex: Knex): Promise<void> => {
  if (knex.client.config.client !== 'pg') return;
  await knex.raw(`
    CREATE OR REPLACE FUNCTION botgate_claim_next(p_wanted json, p_free integer, p_node text, p_lease_ms bigint)
    RETURNS SETOF jobs LANGUAGE plpgsql VOLATILE AS $$
    DECLARE
      v_automation text;
      v_locked text[];
      v_wanted record;
      v_claimed integer;
    BEGIN
      v_locked := ARRAY(
        SELECT w.automation_id FROM json_to_recordset(p_wanted) AS w(automation_id text)
         -- A head per automation, one index seek each (EXISTS planned a hash join over every queued row).
         WHERE (SELECT min(id) FROM jobs WHERE state = 'queued' AND automation_id = w.automation_id) IS NOT NULL
         ORDER BY w.automation_id);
      FOREACH v_automation IN ARRAY v_locked LOOP
        PERFORM pg_advisory_xact_lock(hashtextextended('claim:' || v_automation, 0));
      END LOOP;
      FOR v_wanted IN
        SELECT w.automation_id, w.lim, w.conc, h.head
          FROM json_to_recordset(p_wanted) AS w(automation_id text, lim integer, conc integer)
          CROSS JOIN LATERAL (SELECT min(id) AS head FROM jobs WHERE state = 'queued' AND automation_id = w.automation_id) AS h
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

export const down = async (knex: Knex): Promise<void> => {
  if (knex.client.config.client !== 'pg') return;
  await knex.raw('DROP FUNCTION IF EXISTS botgate_claim_next(json, integer, text, bigint)');
};
