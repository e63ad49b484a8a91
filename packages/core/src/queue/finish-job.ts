import type { Job } from '../jobs/job.js';
import { assertTransition, type FinalJobState } from '../jobs/job-state.js';
import type { Knex } from 'knex';
import { createBatcher } from './batcher.js';
import { durable, isSqlite, rawRows, type Database } from './database.js';
import { jobFromRow, type JobRow } from './job-row.js';
import { jobsChannel } from './job-notifications.js';

export interface JobOutcome extends Pick<Job, 'outputs' | 'outputFiles' | 'outputWorkItems' | 'exitCode' | 'error' | 'errorCode' | 'log'> {
  /** `queued`: the job goes back to the queue (a retry, or a run cut short by shutdown). */
  state: FinalJobState | 'queued';
  /** A run stopped by our own shutdown is not the job's fault and does not use up an attempt. */
  refundAttempt?: boolean;
}

export interface Finish {
  id: number;
  nodeId: string;
  outcome: JobOutcome;
}

/**
 * Ends running jobs in one transaction. Each is guarded by state and lease owner: if another
 * node has taken a job over (our lease expired), our late result is dropped and its place in
 * the answer is `undefined`.
 */
export const finishJobs = async (db: Database, finishes: readonly Finish[]): Promise<Array<Job | undefined>> => {
  for (const { id, outcome } of finishes) assertTransition('running', outcome.state, id);
  // One statement for a batch (atomic without a transaction of its own): on PostgreSQL a round
  // trip per job, and four per transaction, were most of a job's cost.
  const rows = finishes.length <= chunk
    ? await updateFinished(db, finishes)
    : await db.transaction(async (tx) => {
        const all: JobRow[] = [];
        for (let at = 0; at < finishes.length; at += chunk) all.push(...(await updateFinished(tx, finishes.slice(at, at + chunk))));
        return all;
      });
  // A job's end is on disk before anyone hears of it (a poller, a webhook, a waiting CLI).
  await durable(db);
  const byId = new Map(rows.map((row) => [Number(row.id), row]));
  return finishes.map(({ id }) => {
    const row = byId.get(id);
    return row ? jobFromRow(row) : undefined;
  });
};

// 13 bindings a job: 64 jobs stay under SQLite's and PostgreSQL's limits on bindings.
const chunk = 64;
const finishedRow = `SELECT CAST(? AS INTEGER) AS id, CAST(? AS TEXT) AS state, CAST(? AS TEXT) AS outputs, CAST(? AS TEXT) AS output_files,
  CAST(? AS TEXT) AS output_work_items, CAST(? AS INTEGER) AS exit_code, CAST(? AS TEXT) AS error, CAST(? AS TEXT) AS error_code,
  CAST(? AS TEXT) AS log, CAST(? AS INTEGER) AS requeue, CAST(? AS INTEGER) AS refund, CAST(? AS BIGINT) AS finished_at, CAST(? AS TEXT) AS node`;

/**
 * Each job guarded by state and lease owner: a job another node has taken over keeps that
 * node's state, and is missing from the rows returned.
 */
const updateFinished = async (db: Database | Knex.Transaction, finishes: readonly Finish[]): Promise<JobRow[]> => {
  const now = Date.now();
  const bindings = finishes.flatMap(({ id, nodeId, outcome }) => {
    const requeue = outcome.state === 'queued';
    return [
      id,
      outcome.state,
      JSON.stringify(outcome.outputs),
      JSON.stringify(outcome.outputFiles),
      JSON.stringify(outcome.outputWorkItems),
      outcome.exitCode,
      outcome.error,
      outcome.errorCode,
      outcome.log,
      requeue ? 1 : 0,
      outcome.refundAttempt ? 1 : 0,
      requeue ? null : now,
      nodeId,
    ];
  });
  const update = `UPDATE jobs AS j
        SET state = v.state, outputs = v.outputs, output_files = v.output_files, output_work_items = v.output_work_items,
            exit_code = v.exit_code, error = v.error, error_code = v.error_code, log = v.log,
            lease_owner = NULL, lease_expires_at = NULL,
            cancel_requested = CASE WHEN v.requeue = 1 THEN j.cancel_requested ELSE false END,
            attempt = j.attempt - v.refund, finished_at = v.finished_at
       FROM (${finishes.map(() => finishedRow).join(' UNION ALL ')}) AS v
      WHERE j.id = v.id AND j.state = 'running' AND j.lease_owner = v.node`;
  if (isSqlite(db)) return rawRows<JobRow>(db, `${update} RETURNING *`, bindings);
  // Slots are free again (or jobs are back in the queue): other nodes may claim. PostgreSQL
  // sends one notification per automation and transaction, however many rows ask for it.
  return rawRows<JobRow>(db, `WITH done AS (${update} RETURNING j.*) SELECT done.*, pg_notify('${jobsChannel}', done.automation_id) FROM done`, bindings);
};

/** Jobs ended together share one commit (see `createBatcher`). */
export const createJobFinisher = (db: Database): ((finish: Finish) => Promise<Job | undefined>) =>
  createBatcher<Finish, Job | undefined>({
    many: (finishes) => finishJobs(db, finishes),
    one: async (finish) => (await finishJobs(db, [finish]))[0],
    maxBatch: 256,
  });
