import type { Job } from '../jobs/job.js';
import { assertTransition, type FinalJobState } from '../jobs/job-state.js';
import type { Knex } from 'knex';
import { createBatcher } from './batcher.js';
import type { Database } from './database.js';
import { jobFromRow, type JobRow } from './job-row.js';
import { notifyJobs } from './job-notifications.js';

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
  return db.transaction(async (tx) => {
    const rows: Array<JobRow | undefined> = [];
    for (const finish of finishes) rows.push(await updateFinished(tx, finish));
    // Slots are free again (or jobs are back in the queue): other nodes may claim.
    for (const automationId of new Set(rows.flatMap((row) => (row ? [row.automation_id] : [])))) await notifyJobs(tx, automationId);
    return rows.map((row) => (row ? jobFromRow(row) : undefined));
  });
};

/** Jobs ended together share one commit (see `createBatcher`). */
export const createJobFinisher = (db: Database): ((finish: Finish) => Promise<Job | undefined>) =>
  createBatcher<Finish, Job | undefined>({
    many: (finishes) => finishJobs(db, finishes),
    one: async (finish) => (await finishJobs(db, [finish]))[0],
    maxBatch: 256,
  });

const updateFinished = async (db: Knex.Transaction, { id, nodeId, outcome }: Finish): Promise<JobRow | undefined> => {
  const requeue = outcome.state === 'queued';
  const [row] = (await db('jobs')
    .where({ id, state: 'running', lease_owner: nodeId })
    .update({
      state: outcome.state,
      outputs: JSON.stringify(outcome.outputs),
      output_files: JSON.stringify(outcome.outputFiles),
      output_work_items: JSON.stringify(outcome.outputWorkItems),
      exit_code: outcome.exitCode,
      error: outcome.error,
      error_code: outcome.errorCode,
      log: outcome.log,
      lease_owner: null,
      lease_expires_at: null,
      cancel_requested: requeue ? db.raw('cancel_requested') : false,
      attempt: outcome.refundAttempt ? db.raw('attempt - 1') : db.raw('attempt'),
      finished_at: requeue ? null : Date.now(),
    })
    .returning('*')) as JobRow[];
  return row;
};
