import { randomUUID } from 'node:crypto';
import type { AdapterStore, Core, EndedCursor, EndedJob, Job } from '@botgate/core';
import { durationOf, mapJobState } from '../map-job-state.js';

interface PendingRow {
  run_id: string;
  process_id: string;
  run_no: number;
  automation_id: string;
  webhook_url: string;
  webhook_created_at: number | string;
  job_id: number;
}

const page = 500;

const deliveryBody = (core: Core, workspaceId: string, row: PendingRow, job: Job, id: string, now: number) => {
  const { state, result, errorCode } = mapJobState(job);
  return JSON.stringify({
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
};

/**
 * Writes a delivery for every completed run of a process with a webhook that has none yet.
 * Derived from the jobs core keeps rather than from an in-memory event, so a run that ended just
 * before a crash still gets its event after the restart (`since` bounds the periodic look). Jobs
 * that ended before any webhook was set are never looked at.
 */
export const createDeliveries = async (
  core: Core,
  store: AdapterStore,
  workspaceId: string,
  since = 0,
): Promise<number> => {
  const [first] = await store.query<{ at: number | string | null }>(
    'SELECT min(webhook_created_at) AS at FROM process_api_processes WHERE webhook_url IS NOT NULL',
  );
  if (first?.at === null || first?.at === undefined) return 0;
  const from = Math.max(since, Number(first.at));
  let created = 0;
  let after: EndedCursor | undefined;
  for (;;) {
    const jobs = await core.jobs.ended({ adapter: 'process-api', since: from, after, limit: page });
    if (jobs.length === 0) break;
    const byId = new Map(jobs.map((job) => [job.id, job]));
    const rows = (await store
      .table('process_api_runs as r')
      .join('process_api_processes as p', 'p.process_id', 'r.process_id')
      .leftJoin('process_api_deliveries as d', 'd.run_id', 'r.run_id')
      .whereNull('d.id')
      .whereNotNull('p.webhook_url')
      .whereIn('r.job_id', [...byId.keys()])
      .select(
        'r.run_id',
        'r.process_id',
        'r.run_no',
        'p.automation_id',
        'p.webhook_url',
        'p.webhook_created_at',
        'r.job_id',
      )) as PendingRow[];
    for (const row of rows) {
      // A run that ended before its process's webhook was set has no event.
      if ((byId.get(Number(row.job_id)) as EndedJob).finishedAt < Number(row.webhook_created_at)) continue;
      // Whole jobs only for the runs that get an event.
      const job = await core.jobs.find(Number(row.job_id));
      if (!job) continue;
      const id = randomUUID();
      const now = Date.now();
      const inserted = await store
        .table('process_api_deliveries')
        .insert({
          id,
          run_id: row.run_id,
          url: row.webhook_url,
          body: deliveryBody(core, workspaceId, row, job, id, now),
          state: 'pending',
          attempts: 0,
          next_attempt_at: now,
          created_at: now,
        })
        .onConflict('run_id')
        .ignore();
      created += Array.isArray(inserted) ? inserted.length : 0;
    }
    if (jobs.length < page) break;
    after = jobs.at(-1) as EndedJob;
  }
  return created;
};
