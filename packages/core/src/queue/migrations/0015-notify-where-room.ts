import type { Knex } from 'knex';
import { jobsChannel } from '../job-notifications.js';
import { endAndClaimSql, up as endAndClaimOf0013 } from './0013-end-and-claim.js';

/**
 * PostgreSQL: `botgate_end_and_claim` tells the other nodes of an automation only where the call
 * left room, that is, where it claimed fewer of the automation's jobs than it ended.
 *
 * It notified for every ended job (folded to one notification per automation and commit). A node
 * draining a backlog claims in each call as many jobs as its ends free, so the number of running
 * jobs does not change and no other node can start one more: the notification woke every
 * listening node's connection, and PostgreSQL's listening backend, for nothing, at every call. In
 * a 20,000-job drain, PostgreSQL's CPU per job was 81–83 µs with it and 71–76 µs without (four
 * alternating pairs; docs/performance.md, item 49). Where a call claims fewer than it ended (the
 * queue ran dry, this node is stopping, runs only its own job, or has no slot left for the
 * automation), room was left, and the others hear of it as before. A job ended back to the queue
 * is among the ends, so it is announced unless the same call claimed a job in its place.
 */
export const up = async (knex: Knex): Promise<void> => {
  if (knex.client.config.client !== 'pg') return;
  await knex.raw(
    endAndClaimSql({
      declare: `
      v_ended text[] := '{}';
      v_claimed text[] := '{}';`,
      perEnded: 'v_ended := v_ended || v_row.automation_id::text;',
      after: `IF p_free > 0 THEN
        FOR v_row IN SELECT * FROM botgate_claim_next(p_wanted, p_free, p_node, p_lease_ms) LOOP
          v_claimed := v_claimed || v_row.automation_id::text;
          RETURN NEXT v_row;
        END LOOP;
      END IF;
      PERFORM pg_notify('${jobsChannel}', ended.automation_id)
         FROM (SELECT automation_id, count(*) AS jobs FROM unnest(v_ended) AS automation_id GROUP BY automation_id) AS ended
        WHERE ended.jobs > (SELECT count(*) FROM unnest(v_claimed) AS claimed WHERE claimed = ended.automation_id);`,
    }),
  );
};

export const down = endAndClaimOf0013;
