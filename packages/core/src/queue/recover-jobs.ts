import { rawRows, type Database } from './database.js';
import { insertAttempts } from './job-attempts.js';
import { transitionJobs } from './transition.js';

export interface RecoveredJob {
  id: number;
  workDir: string;
  leaseOwner: string;
  state: 'queued' | 'failed';
}

/**
 * Running jobs whose node is gone: their lease expired, or `isDead` says their owner has died
 * (a process on this host that no longer exists). They go back to the queue while attempts
 * remain, otherwise fail with `interrupted`; none stays running, none vanishes. The cut-short run
 * is kept as an `interrupted` attempt.
 */
export const recoverJobs = async (
  db: Database,
  isDead: (owner: string) => boolean,
  runsHere: (jobId: number) => boolean,
): Promise<RecoveredJob[]> => {
  const now = Date.now();
  const running: Array<{
    id: number;
    lease_owner: string | null;
    lease_expires_at: number | string | null;
    work_dir: string;
    attempt: number;
    max_attempts: number;
    started_at: number | string | null;
  }> = await db('jobs')
    .where({ state: 'running' })
    .select('id', 'lease_owner', 'lease_expires_at', 'work_dir', 'attempt', 'max_attempts', 'started_at');
  const recovered: RecoveredJob[] = [];
  for (const job of running) {
    const owner = job.lease_owner ?? '';
    // This node's own job, its lease lapsed while it stalled (or could not write): still ours,
    // renewed at the next heartbeat. Requeueing it would run it twice.
    if (runsHere(Number(job.id))) continue;
    if (Number(job.lease_expires_at ?? 0) >= now && !isDead(owner)) continue;
    const retry = job.attempt < job.max_attempts;
    const interrupted = { lease_owner: null, lease_expires_at: null, error: 'interrupted', error_code: 'INTERRUPTED' };
    const changed = await db.transaction(async (tx) => {
      // Guarded by the run we saw (owner, attempt, lease): a node that renewed its lease, or
      // ended and claimed the job again, meanwhile keeps it.
      const moved = await transitionJobs(tx, {
        to: retry ? 'queued' : 'failed',
        from: ['running'],
        where: {
          id: job.id,
          lease_owner: job.lease_owner,
          attempt: job.attempt,
          lease_expires_at: job.lease_expires_at,
        },
        set: retry ? interrupted : { ...interrupted, finished_at: now },
      });
      if (moved > 0) {
        await insertAttempts(
          (text, bindings) => rawRows(tx, text, bindings ?? []),
          [
            {
              jobId: Number(job.id),
              number: job.attempt,
              nodeId: job.lease_owner,
              startedAt: job.started_at === null ? null : Number(job.started_at),
              endedAt: now,
              state: 'interrupted',
              errorCode: 'INTERRUPTED',
              error: 'interrupted',
              exitCode: null,
              log: '',
            },
          ],
        );
      }
      return moved;
    });
    if (changed > 0)
      recovered.push({
        id: Number(job.id),
        workDir: job.work_dir,
        leaseOwner: owner,
        state: retry ? 'queued' : 'failed',
      });
  }
  return recovered;
};
