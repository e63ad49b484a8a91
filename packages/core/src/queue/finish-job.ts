import type { Job } from '../jobs/job.js';
import { assertTransition, type FinalJobState } from '../jobs/job-state.js';
import type { Database } from './database.js';
import { jobFromRow, type JobRow } from './job-row.js';
import { notifyJobs } from './job-notifications.js';

export interface JobOutcome extends Pick<Job, 'outputs' | 'outputFiles' | 'outputWorkItems' | 'exitCode' | 'error' | 'errorCode' | 'log'> {
  /** `queued`: the job goes back to the queue (a retry, or a run cut short by shutdown). */
  state: FinalJobState | 'queued';
  /** A run stopped by our own shutdown is not the job's fault and does not use up an attempt. */
  refundAttempt?: boolean;
}

/**
 * Ends a running job. Guarded by state and lease owner: if another node has taken the job over
 * (our lease expired), our late result is dropped and `undefined` returned.
 */
export const finishJob = async (db: Database, id: number, nodeId: string, outcome: JobOutcome): Promise<Job | undefined> => {
  assertTransition('running', outcome.state, id);
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
  // A slot of the automation is free again (or the job is back in the queue): other nodes may claim.
  if (row) await notifyJobs(db, row.automation_id);
  return row ? jobFromRow(row) : undefined;
};
