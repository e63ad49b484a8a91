import type { Knex } from 'knex';
import type { InputWorkItem, Job } from '../jobs/job.js';
import type { JsonValue } from '../variables/index.js';
import type { Values } from '../variables/index.js';
import { createBatcher } from './batcher.js';
import { durable, type Database } from './database.js';
import { jobFromRow, type JobRow } from './job-row.js';
import { sql } from './sql.js';
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
  workItem?: JsonValue | undefined;
  workItems?: InputWorkItem[] | undefined;
  /**
   * Runs inside the job's transaction, after its insert: an adapter's own row (a vendor's job
   * number, a run id) commits or rolls back with the job, so no answered id can point nowhere.
   */
  inTransaction?: ((tx: Knex.Transaction, job: Job) => Promise<void>) | undefined;
}

export type Enqueued = { job: Job; created: boolean };

const insertJob = `INSERT INTO jobs (automation_id, adapter, state, inputs, input_files, outputs, output_files, log, attempt, max_attempts,
  idempotency_key, work_dir, cancel_requested, metadata, work_item, work_items, created_at)
  VALUES (?, ?, 'queued', ?, ?, '{}', '[]', '', 0, ?, ?, ?, false, ?, ?, ?, ?) RETURNING *`;

/** What `insertQueuedJob` left for after the commit: the new job, or the key's first job to look up. */
export type Inserted = { row: JobRow } | { duplicateOf: { automationId: string; key: string } };

/**
 * Inserts one queued job inside `tx` (the caller commits). With an idempotency key, a live key
 * keeps nothing new: the row just inserted is deleted again and the key's first job is answered
 * after the commit. No exception for that case, so one duplicate does not undo a whole batch.
 */
export const insertQueuedJob = async (tx: Knex.Transaction, job: NewJob, now: number): Promise<Inserted> => {
  // The insert comes first so SQLite takes its write lock at once; a read first would let two
  // processes both see "no key" and one of them fail to upgrade its lock.
  const [inserted] = await sql<JobRow>(tx, insertJob, [
    job.automationId,
    job.adapter,
    JSON.stringify(job.inputs),
    JSON.stringify(job.inputFiles),
    job.maxAttempts,
    job.idempotencyKey ?? null,
    job.workDir,
    JSON.stringify(job.metadata ?? {}),
    job.workItem === undefined ? null : JSON.stringify(job.workItem),
    job.workItems === undefined ? null : JSON.stringify(job.workItems),
    now,
  ]);
  if (!inserted) throw new Error('insert returned no row');
  if (job.idempotencyKey !== undefined) {
    const claimed = await tx('idempotency_keys')
      .insert({
        automation_id: job.automationId,
        key: job.idempotencyKey,
        job_id: inserted.id,
        expires_at: now + job.idempotencyWindowMs,
      })
      .onConflict(['automation_id', 'key'])
      .merge(['job_id', 'expires_at'])
      .where('idempotency_keys.expires_at', '<=', now)
      .returning('job_id');
    if (claimed.length === 0) {
      await tx('jobs').where({ id: inserted.id }).delete();
      return { duplicateOf: { automationId: job.automationId, key: job.idempotencyKey } };
    }
  }
  await job.inTransaction?.(tx, jobFromRow(inserted));
  return { row: inserted };
};

/** After the commit: the job a trigger is answered with. */
export const enqueuedOf = async (db: Database, inserted: Inserted): Promise<Enqueued> => {
  if ('row' in inserted) return { job: jobFromRow(inserted.row), created: true };
  const { automationId, key } = inserted.duplicateOf;
  const original = (await db('jobs')
    .join('idempotency_keys', 'idempotency_keys.job_id', 'jobs.id')
    .where({ 'idempotency_keys.automation_id': automationId, 'idempotency_keys.key': key })
    .first('jobs.*')) as JobRow | undefined;
  if (!original) throw new Error(`idempotency key "${key}" points to no job`);
  return { job: jobFromRow(original), created: false };
};

/**
 * Inserts queued jobs in one transaction and tells the nodes (at commit on PostgreSQL). When
 * this resolves, every job is durable.
 */
export const enqueueJobs = async (db: Database, jobs: readonly NewJob[]): Promise<Inserted[]> => {
  const now = Date.now();
  const results = await db.transaction(async (tx) => {
    const inserted: Inserted[] = [];
    for (const job of jobs) inserted.push(await insertQueuedJob(tx, job, now));
    for (const automationId of new Set(jobs.map((job) => job.automationId))) await notifyJobs(tx, automationId);
    return inserted;
  });
  await durable(db);
  return results;
};

/** Jobs submitted together share one commit (see `createBatcher`); each resolves once it is durable. */
export const createJobEnqueuer = (db: Database): ((job: NewJob) => Promise<Enqueued>) => {
  const commit = createBatcher<NewJob, Inserted>({
    many: (jobs) => enqueueJobs(db, jobs),
    one: async (job) => (await enqueueJobs(db, [job]))[0] as Inserted,
    maxBatch: 256,
    // Adapters lock per skill or process inside the transaction: one order on every node.
    compare: (a, b) => (a.automationId < b.automationId ? -1 : a.automationId > b.automationId ? 1 : 0),
  });
  return async (job) => enqueuedOf(db, await commit(job));
};
