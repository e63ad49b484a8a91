import type { Job } from '../jobs/job.js';
import { confirmHeld, type HeldStamp } from './change-stamps.js';
import { createBatcher } from './batcher.js';
import { isSqlite, type Database } from './database.js';
import { jobFromRow, type JobRow } from './job-row.js';
import { sql, transaction, type Query } from './sql.js';
import { assertInitialState } from './transition.js';

/** A job written in one piece, as it is at that moment (a real-time run, written as it starts). */
export type JobRecord = Omit<Job, 'id' | 'cancelRequested' | 'leaseOwner'> & {
  leaseOwner?: string | null;
  leaseExpiresAt?: number | null;
  /** Confirmed after the insert, in its transaction (`confirmHeld`): the job is written only while it stands. */
  held?: HeldStamp | undefined;
};

const toRow = (job: JobRecord) => ({
  automation_id: job.automationId,
  adapter: job.adapter,
  state: job.state,
  inputs: JSON.stringify(job.inputs),
  input_files: JSON.stringify(job.inputFiles),
  outputs: JSON.stringify(job.outputs),
  output_files: JSON.stringify(job.outputFiles),
  output_work_items: JSON.stringify(job.outputWorkItems),
  exit_code: job.exitCode,
  error: job.error,
  error_code: job.errorCode,
  log: job.log,
  attempt: job.attempt,
  max_attempts: job.maxAttempts,
  idempotency_key: job.idempotencyKey,
  work_dir: job.workDir,
  cancel_requested: false,
  metadata: JSON.stringify(job.metadata),
  work_item: job.workItem === null ? null : JSON.stringify(job.workItem),
  work_items: job.workItems === null ? null : JSON.stringify(job.workItems),
  lease_owner: job.leaseOwner ?? null,
  lease_expires_at: job.leaseExpiresAt ?? null,
  created_at: job.createdAt.getTime(),
  started_at: job.startedAt?.getTime() ?? null,
  finished_at: job.finishedAt?.getTime() ?? null,
  run_after: job.runAfter?.getTime() ?? null,
});

const insertSql = (row: ReturnType<typeof toRow>): string =>
  `INSERT INTO jobs (${Object.keys(row).join(', ')}) VALUES (${Object.keys(row)
    .map(() => '?')
    .join(', ')}) RETURNING *`;

const insertWith = async (query: Query, job: JobRecord): Promise<Job> => {
  assertInitialState(job.state);
  const row = toRow(job);
  const [back] = await query<JobRow>(insertSql(row), Object.values(row));
  if (!back) throw new Error('insert returned no row');
  if (job.held) await confirmHeld(query, job.held);
  return jobFromRow(back);
};

/**
 * Inserts one job as it is (a real-time run, written as it starts) in one statement, and answers
 * it with its id; with `held`, in a transaction that also confirms it.
 */
export const insertJob = (db: Database, job: JobRecord): Promise<Job> =>
  job.held
    ? transaction(db, (query) => insertWith(query, job))
    : insertWith((text, bindings) => sql(db, text, bindings), job);

/**
 * `insertJob` for runs that start at the same time: on SQLite they share one commit (each commit
 * appends every page it changed to the WAL, seven or so for a job row and its indexes, and 50
 * concurrent real-time runs spent a fifth of the server's CPU in their own commits). On
 * PostgreSQL each is its own statement, side by side on the pool: a batch of separate commits
 * could not be retried as a whole without writing the ones that succeeded twice.
 */
export const createJobInserter = (db: Database): ((job: JobRecord) => Promise<Job>) =>
  isSqlite(db)
    ? createBatcher<JobRecord, Job>({
        one: (job) => insertJob(db, job),
        // One transaction: when it fails, none of its rows was written, and each is retried alone.
        many: (jobs) =>
          transaction(db, async (query) => {
            const inserted: Job[] = [];
            for (const job of jobs) inserted.push(await insertWith(query, job));
            return inserted;
          }),
        maxBatch: 256,
      })
    : (job) => insertJob(db, job);
