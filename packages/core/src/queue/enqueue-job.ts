import type { Knex } from 'knex';
import type { Job } from '../jobs/job.js';
import type { Values } from '../variables/index.js';
import type { Database } from './database.js';
import { jobFromRow, type JobRow } from './job-row.js';
import { notifyJobs } from './job-notifications.js';

export interface NewJob {
  automationId: string;
  adapter: string;
  inputs: Values;
  inputFiles: Array<{ name: string; size: number }>;
  workDir: string;
  maxAttempts: number;
  idempotencyKey?: string | undefined;
  idempotencyWindowMs: number;
  metadata?: Record<string, unknown> | undefined;
  workItem?: Record<string, unknown> | undefined;
  /**
   * Runs inside the job's transaction, after its insert: an adapter's own row (a vendor's job
   * number, a run id) commits or rolls back with the job, so no answered id can point nowhere.
   */
  inTransaction?: ((tx: Knex.Transaction, job: Job) => Promise<void>) | undefined;
}

class DuplicateKey extends Error {}

/**
 * Inserts a queued job in one transaction; committed before it returns, so an answered trigger
 * survives a crash. With an idempotency key, a live key answers the job it first created and
 * nothing new is kept.
 */
export const enqueueJob = async (db: Database, job: NewJob): Promise<{ job: Job; created: boolean }> => {
  const now = Date.now();
  try {
    const row = await db.transaction(async (tx) => {
      // The insert comes first so SQLite takes its write lock at once; a read first would let two
      // processes both see "no key" and one of them fail to upgrade its lock.
      const [inserted] = (await tx('jobs')
        .insert({
          automation_id: job.automationId,
          adapter: job.adapter,
          state: 'queued',
          inputs: JSON.stringify(job.inputs),
          input_files: JSON.stringify(job.inputFiles),
          outputs: '{}',
          output_files: '[]',
          log: '',
          attempt: 0,
          max_attempts: job.maxAttempts,
          idempotency_key: job.idempotencyKey ?? null,
          work_dir: job.workDir,
          cancel_requested: false,
          metadata: JSON.stringify(job.metadata ?? {}),
          work_item: job.workItem === undefined ? null : JSON.stringify(job.workItem),
          created_at: now,
        })
        .returning('*')) as JobRow[];
      if (!inserted) throw new Error('insert returned no row');
      if (job.idempotencyKey !== undefined) {
        const claimed = await tx('idempotency_keys')
          .insert({ automation_id: job.automationId, key: job.idempotencyKey, job_id: inserted.id, expires_at: now + job.idempotencyWindowMs })
          .onConflict(['automation_id', 'key'])
          .merge(['job_id', 'expires_at'])
          .where('idempotency_keys.expires_at', '<=', now)
          .returning('job_id');
        if (claimed.length === 0) throw new DuplicateKey();
      }
      await job.inTransaction?.(tx, jobFromRow(inserted));
      await notifyJobs(tx, job.automationId);
      return inserted;
    });
    return { job: jobFromRow(row), created: true };
  } catch (error) {
    if (!(error instanceof DuplicateKey) || job.idempotencyKey === undefined) throw error;
    const original = (await db('jobs')
      .join('idempotency_keys', 'idempotency_keys.job_id', 'jobs.id')
      .where({ 'idempotency_keys.automation_id': job.automationId, 'idempotency_keys.key': job.idempotencyKey })
      .first('jobs.*')) as JobRow | undefined;
    if (!original) throw new Error(`idempotency key "${job.idempotencyKey}" points to no job`);
    return { job: jobFromRow(original), created: false };
  }
};
