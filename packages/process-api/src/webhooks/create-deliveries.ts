import { randomUUID } from 'node:crypto';
import {
  compareText,
  lookAtEnded,
  type AdapterStore,
  type Core,
  type EndedCursor,
  type EndedJob,
  type Job,
} from '@botgate/core';
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

const insertDelivery = `INSERT INTO process_api_deliveries (id, run_id, url, body, state, attempts, next_attempt_at, created_at)
  VALUES (?, ?, ?, ?, 'pending', 0, ?, ?) ON CONFLICT (run_id) DO NOTHING RETURNING id`;

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

/** The first moment an end gets an event: when the first webhook was set (none while none is). */
const firstWebhookAt = async (store: AdapterStore): Promise<number | undefined> => {
  const [first] = await store.query<{ at: number | string | null }>(
    'SELECT min(webhook_created_at) AS at FROM process_api_processes WHERE webhook_url IS NOT NULL',
  );
  return first?.at === null || first?.at === undefined ? undefined : Number(first.at);
};

/**
 * Writes a delivery for each of these ended jobs that is a run of a process with a webhook, ended
 * after the webhook was set, and has none yet. `known`: the jobs already at hand, read again
 * otherwise only for the runs that get an event.
 */
const deliveriesFor = async (
  core: Core,
  store: AdapterStore,
  workspaceId: string,
  ended: readonly EndedJob[],
  known?: ReadonlyMap<number, Job>,
): Promise<number> => {
  const byId = new Map(ended.map((job) => [job.id, job]));
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
  const due: unknown[][] = [];
  for (const row of rows) {
    const jobId = Number(row.job_id);
    // A run that ended before its process's webhook was set has no event.
    if ((byId.get(jobId) as EndedJob).finishedAt < Number(row.webhook_created_at)) continue;
    const job = known?.get(jobId) ?? (await core.jobs.find(jobId));
    if (!job) continue;
    const id = randomUUID();
    const now = Date.now();
    due.push([id, row.run_id, row.webhook_url, deliveryBody(core, workspaceId, row, job, id, now), now, now]);
  }
  if (due.length === 0) return 0;
  // One commit for the lot, in the runs' order: another node's look may insert some of the same
  // rows, and one order of their keys on every node means neither waits for the other in turn.
  due.sort((a, b) => compareText(a[1] as string, b[1] as string));
  return store.transaction(async (tx) => {
    let created = 0;
    for (const values of due) created += (await tx.query(insertDelivery, values)).length;
    return created;
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
  const first = await firstWebhookAt(store);
  if (first === undefined) return 0;
  const from = Math.max(since, first);
  let created = 0;
  let after: EndedCursor | undefined;
  for (;;) {
    const jobs = await core.jobs.ended({ adapter: 'process-api', since: from, after, limit: page });
    if (jobs.length === 0) break;
    created += await deliveriesFor(core, store, workspaceId, jobs);
    if (jobs.length < page) break;
    after = jobs.at(-1) as EndedJob;
  }
  return created;
};

/** `createDeliveries` for jobs heard ending on this node: a look at these alone. */
export const createDeliveriesOf = async (
  core: Core,
  store: AdapterStore,
  workspaceId: string,
  jobs: readonly Job[],
): Promise<number> => {
  if ((await firstWebhookAt(store)) === undefined) return 0;
  return lookAtEnded(jobs, (ended, known) => deliveriesFor(core, store, workspaceId, ended, known));
};
