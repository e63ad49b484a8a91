import { randomUUID } from 'node:crypto';
import { jobStates, isFinal, type Core, type Job } from '@botgate/core';
import { durationOf, mapJobState } from '../map-job-state.js';

const finalStates = jobStates.filter(isFinal);

interface PendingRow {
  run_id: string;
  process_id: string;
  run_no: number;
  automation_id: string;
  webhook_url: string;
  job_id: number;
}

/**
 * Writes a delivery for every completed run of a process with a webhook that has none yet.
 * Derived from the jobs table rather than from an in-memory event, so a run that ended just
 * before a crash still gets its event after the restart (`since` bounds the periodic look).
 */
export const createDeliveries = async (core: Core, workspaceId: string, since = 0): Promise<number> => {
  const rows = (await core
    .db('process_api_runs as r')
    .join('jobs as j', 'j.id', 'r.job_id')
    .join('process_api_processes as p', 'p.process_id', 'r.process_id')
    .leftJoin('process_api_deliveries as d', 'd.run_id', 'r.run_id')
    .whereNull('d.id')
    .whereNotNull('p.webhook_url')
    .whereIn('j.state', finalStates)
    .where('j.finished_at', '>=', core.db.ref('p.webhook_created_at'))
    .where('j.finished_at', '>=', since)
    .select('r.run_id', 'r.process_id', 'r.run_no', 'p.automation_id', 'p.webhook_url', 'r.job_id')
    .limit(500)) as PendingRow[];
  let created = 0;
  for (const row of rows) {
    const job = (await core.jobs.find(Number(row.job_id))) as Job;
    const { state, result, errorCode } = mapJobState(job);
    const id = randomUUID();
    const now = Date.now();
    const body = JSON.stringify({
      id,
      webhookEventTimestamp: new Date(now).toISOString(),
      event: 'process_run_completed',
      payload: {
        workspaceId,
        processId: row.process_id,
        processName: core.catalog.find(row.automation_id)?.name ?? row.automation_id,
        processRunId: row.run_id,
        runNo: Number(row.run_no),
        state,
        result,
        errorCode,
        errorMessage: job.error ?? '',
        duration: durationOf(job),
      },
    });
    const inserted = await core
      .db('process_api_deliveries')
      .insert({
        id,
        run_id: row.run_id,
        url: row.webhook_url,
        body,
        state: 'pending',
        attempts: 0,
        next_attempt_at: now,
        created_at: now,
      })
      .onConflict('run_id')
      .ignore();
    created += Array.isArray(inserted) ? inserted.length : 0;
  }
  return created;
};
