import type { Job } from '../jobs/job.js';
import type { Database } from './database.js';
import { jobFromRow, type JobRow } from './job-row.js';
import { sql } from './sql.js';

/** A job written in one piece, as it is at that moment (real-time runs, recorded once they end). */
export type JobRecord = Omit<Job, 'id' | 'cancelRequested'> & { leaseOwner?: string | null; leaseExpiresAt?: number | null };

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
  lease_owner: job.leaseOwner ?? null,
  lease_expires_at: job.leaseExpiresAt ?? null,
  created_at: job.createdAt.getTime(),
  started_at: job.startedAt?.getTime() ?? null,
  finished_at: job.finishedAt?.getTime() ?? null,
});

/** Inserts jobs in one transaction (one commit for the whole batch) and returns them with their ids. */
export const insertJobs = async (db: Database, jobs: readonly JobRecord[]): Promise<Job[]> => {
  if (jobs.length === 0) return [];
  return db.transaction(async (tx) => {
    const inserted: Job[] = [];
    // Row by row: a multi-row RETURNING does not promise the order of its rows.
    for (const job of jobs) {
      const row = toRow(job);
      const columns = Object.keys(row);
      const [back] = await sql<JobRow>(tx, `INSERT INTO jobs (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')}) RETURNING *`, Object.values(row));
      inserted.push(jobFromRow(back as JobRow));
    }
    return inserted;
  });
};
