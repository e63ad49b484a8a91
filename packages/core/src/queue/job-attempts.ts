import type { JobAttempt, AttemptState } from '../jobs/job.js';
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

interface AttemptRow {
  number: number;
  node_id: string | null;
  started_at: number | string | null;
  ended_at: number | string;
  state: AttemptState;
  error_code: string | null;
  error: string | null;
  exit_code: number | null;
  log: string;
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

/** A job's ended attempts, first to last. */
export const listAttempts = async (db: Database, jobId: number): Promise<JobAttempt[]> => {
  const rows = await sql<AttemptRow>(
    db,
    'SELECT number, node_id, started_at, ended_at, state, error_code, error, exit_code, log FROM job_attempts WHERE job_id = ? ORDER BY number, id',
    [jobId],
  );
  return rows.map((row) => ({
    number: Number(row.number),
    node: row.node_id,
    startedAt: toDate(row.started_at),
    endedAt: toDate(row.ended_at),
    state: row.state,
    errorCode: row.error_code as JobAttempt['errorCode'],
    error: row.error,
    exitCode: row.exit_code,
    log: row.log,
  }));
};
