import type { Database } from './database.js';

export interface RecoveredJob {
  id: number;
  workDir: string;
  leaseOwner: string;
  state: 'queued' | 'failed';
}

/**
 * Running jobs whose node is gone: their lease expired, or `isDead` says their owner has died
 * (a process on this host that no longer exists). They go back to the queue while attempts
 * remain, otherwise fail with `interrupted`; none stays running, none vanishes.
 */
export const recoverJobs = async (db: Database, isDead: (owner: string) => boolean): Promise<RecoveredJob[]> => {
  const now = Date.now();
  const running: Array<{ id: number; lease_owner: string | null; lease_expires_at: number | string | null; work_dir: string; attempt: number; max_attempts: number }> =
    await db('jobs').where({ state: 'running' }).select('id', 'lease_owner', 'lease_expires_at', 'work_dir', 'attempt', 'max_attempts');
  const recovered: RecoveredJob[] = [];
  for (const job of running) {
    const owner = job.lease_owner ?? '';
    if (Number(job.lease_expires_at ?? 0) >= now && !isDead(owner)) continue;
    const retry = job.attempt < job.max_attempts;
    // Guarded by the owner we saw: a node that renewed its lease meanwhile keeps its job.
    const changed = await db('jobs')
      .where({ id: job.id, state: 'running', lease_owner: job.lease_owner })
      .update(
        retry
          ? { state: 'queued', lease_owner: null, lease_expires_at: null, error: 'interrupted', error_code: 'INTERRUPTED' }
          : { state: 'failed', lease_owner: null, lease_expires_at: null, error: 'interrupted', error_code: 'INTERRUPTED', finished_at: now },
      );
    if (changed > 0) recovered.push({ id: Number(job.id), workDir: job.work_dir, leaseOwner: owner, state: retry ? 'queued' : 'failed' });
  }
  return recovered;
};
