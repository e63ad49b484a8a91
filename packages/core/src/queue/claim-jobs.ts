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
        SET state = 'running', lease_owner = ?, lease_expires_at = ?, started_at = ?, attempt = attempt + 1, pid = NULL
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

/** Automations with queued jobs, the one waiting longest first, so no automation starves the others. */
export const queuedAutomations = async (db: Database): Promise<string[]> => {
  const rows: Array<{ automation_id: string }> = await db('jobs')
    .where({ state: 'queued' })
    .groupBy('automation_id')
    .select('automation_id')
    .orderByRaw('min(id)');
  return rows.map((r) => r.automation_id);
};
