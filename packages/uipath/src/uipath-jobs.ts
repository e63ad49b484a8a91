import { randomUUID } from 'node:crypto';
import type { Core, Job, StoreTransaction } from '@botgate/core';

/** What this adapter keeps of a job it started: its Key and the release and folder it ran in. */
export interface UipathJob {
  jobId: number;
  key: string;
  releaseId: number;
  folderId: number;
  batchKey: string;
  inputArguments: string | null;
  stopStrategy: 'SoftStop' | 'Kill' | null;
}

export type UipathJobRow = {
  job_id: number;
  key: string;
  release_id: number;
  folder_id: number;
  batch_key: string;
  input_arguments: string | null;
  stop_strategy: 'SoftStop' | 'Kill' | null;
};

export const toUipathJob = (row: UipathJobRow): UipathJob => ({
  jobId: Number(row.job_id),
  key: row.key,
  releaseId: Number(row.release_id),
  folderId: Number(row.folder_id),
  batchKey: row.batch_key,
  inputArguments: row.input_arguments,
  stopStrategy: row.stop_strategy,
});

/** Chunks of ids per statement: SQLite binds at most 32,766 values. */
const chunk = 500;

export const createUipathJobs = (core: Core) => {
  const store = core.store('uipath');
  return {
    /** Writes the record in the job's own transaction (one insert per table per group commit). */
    record(
      tx: StoreTransaction,
      job: Job,
      fields: { releaseId: number; folderId: number; batchKey: string; inputArguments: string | null },
    ): UipathJob {
      const row: UipathJobRow = {
        job_id: job.id,
        key: randomUUID(),
        release_id: fields.releaseId,
        folder_id: fields.folderId,
        batch_key: fields.batchKey,
        input_arguments: fields.inputArguments,
        stop_strategy: null,
      };
      tx.insert('uipath_jobs', row);
      return toUipathJob(row);
    },
    async byJobId(jobId: number): Promise<UipathJob | undefined> {
      const [row] = await store.query<UipathJobRow>('SELECT * FROM uipath_jobs WHERE job_id = ?', [jobId]);
      return row && toUipathJob(row);
    },
    /** The jobs of a folder, a page at a time, newest first unless `descending` is false. */
    async *pagesOfFolder(folderId: number, descending: boolean): AsyncGenerator<UipathJob[]> {
      let after: number | undefined;
      for (;;) {
        const rows = await store.query<UipathJobRow>(
          `SELECT * FROM uipath_jobs WHERE folder_id = ?${after === undefined ? '' : ` AND job_id ${descending ? '<' : '>'} ?`}
           ORDER BY job_id ${descending ? 'DESC' : 'ASC'} LIMIT ${chunk}`,
          after === undefined ? [folderId] : [folderId, after],
        );
        if (rows.length > 0) yield rows.map(toUipathJob);
        if (rows.length < chunk) return;
        after = Number(rows.at(-1)?.job_id);
      }
    },
    /** The core jobs of these records, by id. */
    async jobsOf(records: readonly UipathJob[]): Promise<Map<number, Job>> {
      const jobs = new Map<number, Job>();
      for (let i = 0; i < records.length; i += chunk) {
        const ids = records.slice(i, i + chunk).map((record) => record.jobId);
        for (const job of await core.jobs.list({ ids, limit: ids.length })) jobs.set(job.id, job);
      }
      return jobs;
    },
    /** How a stop was asked for, which names the state until the job ends (Stopping, Terminating). */
    async noteStop(jobId: number, strategy: 'SoftStop' | 'Kill'): Promise<void> {
      await store.table('uipath_jobs').where({ job_id: jobId }).update({ stop_strategy: strategy });
    },
  };
};

export type UipathJobs = ReturnType<typeof createUipathJobs>;
