import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import {
  lookAtEnded,
  valuesToPlain,
  type AdapterStore,
  type Core,
  type EndedCursor,
  type EndedJob,
  type Job,
} from '@botgate/core';
import { stateOf } from '../job-view.js';
import { toUipathJob, type UipathJob, type UipathJobRow } from '../uipath-jobs.js';
import type { JobEvent, Webhook } from './webhooks.js';

type EndedRow = UipathJobRow & { release_key: string | null };

const page = 500;

const insertDelivery = `INSERT INTO uipath_deliveries (id, webhook_id, job_id, url, body, state, attempts, next_attempt_at, created_at)
  VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?) ON CONFLICT (webhook_id, job_id) DO NOTHING RETURNING id`;
const node = hostname();

const eventOf = (job: Job): JobEvent =>
  job.state === 'succeeded' ? 'job.completed' : job.state === 'canceled' ? 'job.stopped' : 'job.faulted';

const parsedArguments = (text: string | null): unknown => {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
};

/**
 * An event as Orchestrator's webhooks send it: PascalCase, the arguments as objects (not the
 * JSON text the Jobs API gives), `job.stopped` with a `Jobs` array and the others with `Job`.
 */
export const eventBody = (
  type: JobEvent,
  job: Job,
  record: UipathJob,
  releaseKey: string | null,
  id: string,
): string => {
  const view = {
    Id: job.id,
    Key: record.key,
    State: stateOf(job, record),
    StartTime: job.startedAt?.toISOString() ?? null,
    EndTime: job.finishedAt?.toISOString() ?? null,
    Info:
      job.state === 'succeeded'
        ? 'Job completed'
        : job.state === 'canceled'
          ? 'Job stopped'
          : (job.error ?? `the job ended ${job.state}`),
    InputArguments: parsedArguments(record.inputArguments),
    OutputArguments: valuesToPlain(job.outputs),
    Robot: { Id: 1, Name: node, MachineName: node },
    Release: { Id: record.releaseId, Key: releaseKey, ProcessKey: job.automationId },
  };
  return JSON.stringify({
    Type: type,
    EventId: id.replaceAll('-', ''),
    Timestamp: new Date().toISOString(),
    ...(type === 'job.stopped' ? { Jobs: [view] } : { Job: view }),
    TenantId: 1,
    OrganizationUnitId: record.folderId,
  });
};

/**
 * Writes a delivery for each of these ended jobs and each active webhook subscribed to its event
 * that has none yet; a job that ended before a webhook was added is not sent to it. `known`: the
 * jobs already at hand, read again otherwise only for the ends that get an event.
 */
const deliveriesFor = async (
  core: Core,
  store: AdapterStore,
  active: readonly Webhook[],
  ended: readonly EndedJob[],
  known?: ReadonlyMap<number, Job>,
): Promise<number> => {
  const endedAt = new Map(ended.map((job) => [job.id, job.finishedAt]));
  const ids = [...endedAt.keys()];
  const rows = await store.query<EndedRow>(
    `SELECT j.*, r.key AS release_key FROM uipath_jobs j LEFT JOIN uipath_releases r ON r.id = j.release_id
      WHERE j.job_id IN (${ids.map(() => '?').join(', ')})`,
    ids,
  );
  const sent = await store.query<{ webhook_id: number; job_id: number }>(
    `SELECT webhook_id, job_id FROM uipath_deliveries WHERE job_id IN (${ids.map(() => '?').join(', ')})`,
    ids,
  );
  const done = new Set(sent.map((row) => `${Number(row.webhook_id)}:${Number(row.job_id)}`));
  const due: unknown[][] = [];
  for (const row of rows) {
    const jobId = Number(row.job_id);
    const subscribed = active.filter(
      (webhook) => !done.has(`${webhook.id}:${jobId}`) && webhook.createdAt.getTime() <= (endedAt.get(jobId) as number),
    );
    if (subscribed.length === 0) continue;
    const job = known?.get(jobId) ?? (await core.jobs.find(jobId));
    if (!job) continue;
    const type = eventOf(job);
    const record = toUipathJob(row);
    for (const webhook of subscribed) {
      if (!webhook.events.includes(type)) continue;
      const id = randomUUID();
      const now = Date.now();
      due.push([id, webhook.id, jobId, webhook.url, eventBody(type, job, record, row.release_key, id), now, now]);
    }
  }
  if (due.length === 0) return 0;
  // One commit for the lot, in the order of their keys (webhook, job): another node's look may
  // insert some of the same rows, and one order on every node means neither waits for the other in turn.
  due.sort((a, b) => (a[1] as number) - (b[1] as number) || (a[2] as number) - (b[2] as number));
  return store.transaction(async (tx) => {
    let created = 0;
    for (const values of due) created += (await tx.query(insertDelivery, values)).length;
    return created;
  });
};

/**
 * Writes a delivery for every job end that a webhook subscribed to and has none yet: derived
 * from the jobs core keeps, not from an event in memory, so a job that ended just before a crash
 * still gets its event after the restart.
 */
export const createDeliveries = async (
  core: Core,
  store: AdapterStore,
  webhooks: readonly Webhook[],
  since: number,
): Promise<number> => {
  const active = webhooks.filter((webhook) => webhook.enabled);
  if (active.length === 0) return 0;
  const from = Math.max(since, Math.min(...active.map((webhook) => webhook.createdAt.getTime())));
  let created = 0;
  let after: EndedCursor | undefined;
  for (;;) {
    const ended = await core.jobs.ended({ adapter: 'uipath', since: from, after, limit: page });
    if (ended.length === 0) break;
    created += await deliveriesFor(core, store, active, ended);
    if (ended.length < page) break;
    after = ended.at(-1) as EndedJob;
  }
  return created;
};

/** `createDeliveries` for jobs heard ending on this node: a look at these alone. */
export const createDeliveriesOf = async (
  core: Core,
  store: AdapterStore,
  webhooks: readonly Webhook[],
  jobs: readonly Job[],
): Promise<number> => {
  const active = webhooks.filter((webhook) => webhook.enabled);
  if (active.length === 0) return 0;
  return lookAtEnded(jobs, (ended, known) => deliveriesFor(core, store, active, ended, known));
};
