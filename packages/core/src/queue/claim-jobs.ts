import type { Job } from '../jobs/job.js';
import type { Database } from './database.js';
import { jobFromRow, type JobRow } from './job-row.js';

export interface ClaimRequest {
  automationId: string;
  /** Slots this node has free for the automation. */
  limit: number;
  /** The automation's concurrency across every process on this database. */
  concurrency: number;
  nodeId: string;
  leaseMs: number;
  /** Claim only this job (the CLI's `run --wait` runs its own job and nothing else). */
  onlyJobId?: number | undefined;
}

/**
 * Moves up to `limit` of the oldest queued jobs of one automation to running under this node's
 * lease. The count of running jobs is taken inside the same statement, so SQLite's single writer
 * makes the automation's concurrency hold across processes, not only within this one.
 */
export const claimJobs = async (db: Database, request: ClaimRequest): Promise<Job[]> => {
  if (request.limit <= 0) return [];
  const now = Date.now();
  const rows = (await db.raw(
    `UPDATE jobs
        SET state = 'running', lease_owner = ?, lease_expires_at = ?, started_at = ?, attempt = attempt + 1
      WHERE id IN (
        SELECT id FROM jobs
         WHERE state = 'queued' AND automation_id = ? ${request.onlyJobId === undefined ? '' : 'AND id = ?'}
         ORDER BY id
         LIMIT max(0, min(?, ? - (SELECT count(*) FROM jobs WHERE automation_id = ? AND state = 'running'))))
      RETURNING *`,
    [
      request.nodeId,
      now + request.leaseMs,
      now,
      request.automationId,
      ...(request.onlyJobId === undefined ? [] : [request.onlyJobId]),
      request.limit,
      request.concurrency,
      request.automationId,
    ],
  )) as JobRow[];
  return rows.map(jobFromRow).sort((a, b) => a.id - b.id);
};

/**
 * Of the given automations, those with queued jobs, the one waiting longest first, so no
 * automation starves the others. One index seek per automation: a scan of all queued jobs would
 * make every claim slower the longer the queue grows.
 */
export const queuedAutomations = async (db: Database, automationIds: readonly string[]): Promise<string[]> => {
  if (automationIds.length === 0) return [];
  // One statement, one index seek per automation.
  const heads = (await db.raw(
    automationIds.map(() => "SELECT ? AS automation_id, (SELECT min(id) FROM jobs WHERE state = 'queued' AND automation_id = ?) AS head").join(' UNION ALL '),
    automationIds.flatMap((id) => [id, id]),
  )) as Array<{ automation_id: string; head: number | null }>;
  return heads
    .filter((h) => h.head !== null)
    .sort((a, b) => Number(a.head) - Number(b.head))
    .map((h) => h.automation_id);
};

/** Automations that have queued jobs but are not in `known`: their jobs can never run here. */
export const unknownQueuedAutomations = async (db: Database, known: readonly string[]): Promise<string[]> => {
  const rows: Array<{ automation_id: string }> = await db('jobs').where({ state: 'queued' }).whereNotIn('automation_id', known).distinct('automation_id');
  return rows.map((r) => r.automation_id);
};
