import type { Job } from '../jobs/job.js';
import { isSqlite, rawRows, type Database } from './database.js';
import { jobFromRow, type JobRow } from './job-row.js';
import { moveSql } from './transition.js';

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

const claim = moveSql('running');
// The last attempt's error, exit code and log are in job_attempts; the row starts clean.
const claimed = `SET ${claim.set}, lease_owner = ?, lease_expires_at = ?, started_at = ?, attempt = attempt + 1,
  run_after = NULL, error = NULL, error_code = NULL, exit_code = NULL, log = ''`;

/**
 * Moves up to `limit` of the oldest queued jobs of one automation to running under this node's
 * lease, never past the automation's concurrency across every node. On SQLite one statement
 * does it (its single writer serialises claims); on PostgreSQL `botgate_claim_jobs` (migration
 * 0003) holds the automation's advisory lock while it counts and claims, so two nodes cannot both
 * see a free slot.
 */
export const claimJobs = async (db: Database, request: ClaimRequest): Promise<Job[]> => {
  if (request.limit <= 0) return [];
  const now = Date.now();
  const only = request.onlyJobId === undefined ? '' : 'AND id = ?';
  const onlyBinding = request.onlyJobId === undefined ? [] : [request.onlyJobId];
  let rows: JobRow[];
  if (isSqlite(db)) {
    rows = await rawRows<JobRow>(
      db,
      `UPDATE jobs ${claimed}
        WHERE id IN (
          SELECT id FROM jobs
           WHERE ${claim.guard} AND automation_id = ? ${only} AND (run_after IS NULL OR run_after <= ?)
           ORDER BY id
           LIMIT max(0, min(?, ? - (SELECT count(*) FROM jobs WHERE automation_id = ? AND state = 'running'))))
        RETURNING *`,
      [
        request.nodeId,
        now + request.leaseMs,
        now,
        request.automationId,
        ...onlyBinding,
        now,
        request.limit,
        request.concurrency,
        request.automationId,
      ],
    );
  } else {
    rows = await rawRows<JobRow>(db, 'SELECT * FROM botgate_claim_jobs(?, ?, ?, ?, ?, ?)', [
      request.automationId,
      request.limit,
      request.concurrency,
      request.nodeId,
      request.leaseMs,
      request.onlyJobId ?? null,
    ]);
  }
  return rows.map(jobFromRow).sort((a, b) => a.id - b.id);
};

export interface ClaimWanted {
  automationId: string;
  /** Slots this node has free for the automation. */
  limit: number;
  /** The automation's concurrency across every process on this database. */
  concurrency: number;
}

export interface ClaimQueuedRequest {
  automations: readonly ClaimWanted[];
  /** Slots this node has free, all automations together. */
  free: number;
  nodeId: string;
  leaseMs: number;
}

/** `botgate_claim_next`'s list of automations with room (also read by `botgate_end_and_claim`). */
export const wantedJson = (automations: readonly ClaimWanted[]): string =>
  JSON.stringify(automations.map((a) => ({ automation_id: a.automationId, lim: a.limit, conc: a.concurrency })));

/**
 * A dispatcher's look for work: of the automations with room, those with queued jobs are
 * claimed from, the one waiting longest first, never past `free` jobs in all. On PostgreSQL it
 * is one call of `botgate_claim_next` (migration 0009), one round trip however many automations
 * there are; on SQLite, where a statement costs microseconds, the heads and then each claim.
 */
export const claimQueued = async (db: Database, request: ClaimQueuedRequest): Promise<Job[]> => {
  const { automations, nodeId, leaseMs } = request;
  if (request.free <= 0 || automations.length === 0) return [];
  if (!isSqlite(db)) {
    const rows = await rawRows<JobRow>(db, 'SELECT * FROM botgate_claim_next(?, ?, ?, ?)', [
      wantedJson(automations),
      request.free,
      nodeId,
      leaseMs,
    ]);
    return rows.map(jobFromRow).sort((a, b) => a.id - b.id);
  }
  const byId = new Map(automations.map((a) => [a.automationId, a]));
  const claimed: Job[] = [];
  let free = request.free;
  for (const automationId of await queuedAutomations(db, [...byId.keys()])) {
    if (free <= 0) break;
    const wanted = byId.get(automationId) as ClaimWanted;
    const jobs = await claimJobs(db, { ...wanted, limit: Math.min(free, wanted.limit), nodeId, leaseMs });
    free -= jobs.length;
    claimed.push(...jobs);
  }
  return claimed;
};

/**
 * Of the given automations, those with queued jobs, the one waiting longest first, so no
 * automation starves the others. One index seek per automation: a scan of all queued jobs would
 * make every claim slower the longer the queue grows.
 */
export const queuedAutomations = async (db: Database, automationIds: readonly string[]): Promise<string[]> => {
  if (automationIds.length === 0) return [];
  const heads = await rawRows<{ automation_id: string; head: number | string | null }>(
    db,
    automationIds
      .map(
        () =>
          "SELECT CAST(? AS TEXT) AS automation_id, (SELECT min(id) FROM jobs WHERE state = 'queued' AND automation_id = ?) AS head",
      )
      .join(' UNION ALL '),
    automationIds.flatMap((id) => [id, id]),
  );
  return heads
    .filter((h) => h.head !== null)
    .sort((a, b) => Number(a.head) - Number(b.head))
    .map((h) => h.automation_id);
};

/** Automations that have queued jobs but are not in `known`: their jobs can never run here. */
export const unknownQueuedAutomations = async (db: Database, known: readonly string[]): Promise<string[]> => {
  const rows: Array<{ automation_id: string }> = await db('jobs')
    .where({ state: 'queued' })
    .whereNotIn('automation_id', known)
    .distinct('automation_id');
  return rows.map((r) => r.automation_id);
};
