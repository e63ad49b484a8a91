import type { Job, JobAttempt, AttemptState } from '../jobs/job.js';
import type { Database } from './database.js';
import { sql, type Query } from './sql.js';

/** An ended run, as it is written to `job_attempts` in the transaction that ends it. */
export interface EndedAttempt {
  jobId: number;
  number: number;
  nodeId: string | null;
  startedAt: number | null;
  endedAt: number;
  state: Exclude<AttemptState, 'running'>;
  errorCode: string | null;
  error: string | null;
  exitCode: number | null;
  log: string;
}

/** An attempt's columns, read as `a.…` under these names (beside a job's own, in `getJobWithAttempts`). */
export const attemptColumns =
  'a.number AS a_number, a.node_id AS a_node_id, a.started_at AS a_started_at, a.ended_at AS a_ended_at, a.state AS a_state, a.error_code AS a_error_code, a.error AS a_error, a.exit_code AS a_exit_code, a.log AS a_log';

export interface AttemptRow {
  a_number: number | string;
  a_node_id: string | null;
  a_started_at: number | string | null;
  a_ended_at: number | string;
  a_state: AttemptState;
  a_error_code: string | null;
  a_error: string | null;
  a_exit_code: number | null;
  a_log: string;
}

const columns = [
  'job_id',
  'number',
  'node_id',
  'started_at',
  'ended_at',
  'state',
  'error_code',
  'error',
  'exit_code',
  'log',
] as const;
// 10 bindings an attempt: 64 stay under both databases' limits on bindings.
const chunk = 64;

/** Writes ended attempts inside the caller's transaction (the one that ends them). */
export const insertAttempts = async (query: Query, attempts: readonly EndedAttempt[]): Promise<void> => {
  for (let at = 0; at < attempts.length; at += chunk) {
    const part = attempts.slice(at, at + chunk);
    await query(
      `INSERT INTO job_attempts (${columns.join(', ')}) VALUES ${part.map(() => `(${columns.map(() => '?').join(', ')})`).join(', ')}`,
      part.flatMap((a) => [
        a.jobId,
        a.number,
        a.nodeId,
        a.startedAt,
        a.endedAt,
        a.state,
        a.errorCode,
        a.error,
        a.exitCode,
        a.log,
      ]),
    );
  }
};

const toDate = (value: number | string | null): Date | null => (value === null ? null : new Date(Number(value)));

export const attemptFromRow = (row: AttemptRow): JobAttempt => ({
  number: Number(row.a_number),
  node: row.a_node_id,
  startedAt: toDate(row.a_started_at),
  endedAt: toDate(row.a_ended_at),
  state: row.a_state,
  errorCode: row.a_error_code as JobAttempt['errorCode'],
  error: row.a_error,
  exitCode: row.a_exit_code,
  log: row.a_log,
});

/** A job's ended attempts, first to last. */
export const listAttempts = async (db: Database, jobId: number): Promise<JobAttempt[]> =>
  (
    await sql<AttemptRow>(
      db,
      `SELECT ${attemptColumns} FROM job_attempts a WHERE a.job_id = ? ORDER BY a.number, a.id`,
      [jobId],
    )
  ).map(attemptFromRow);

/** Every run of a job, first to last: its ended attempts, and the one under way while it runs. */
export const withCurrentAttempt = (job: Job, ended: JobAttempt[]): JobAttempt[] =>
  job.state !== 'running'
    ? ended
    : [
        ...ended,
        {
          number: job.attempt,
          node: job.leaseOwner,
          startedAt: job.startedAt,
          endedAt: null,
          state: 'running',
          errorCode: null,
          error: null,
          exitCode: null,
          log: '',
        },
      ];
