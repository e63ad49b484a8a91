import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { valuesToPlain, type AdapterStore, type Core, type EndedCursor, type EndedJob, type Job } from '@botgate/core';
import { stateOf } from '../job-view.js';
import { toUipathJob, type UipathJob, type UipathJobRow } from '../uipath-jobs.js';
import type { JobEvent, Webhook } from './webhooks.js';

type EndedRow = UipathJobRow & { release_key: string | null };

const page = 500;
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
 * Writes a delivery for every job end that a webhook subscribed to and has none yet: derived
 * from the jobs core keeps, not from an event in memory, so a job that ended just before a crash
 * still gets its event after the restart. A job that ended before a webhook was added is not
 * sent to it.
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
    for (const row of rows) {
      const jobId = Number(row.job_id);
      const due = active.filter(
        (webhook) =>
          !done.has(`${webhook.id}:${jobId}`) && webhook.createdAt.getTime() <= (endedAt.get(jobId) as number),
      );
      if (due.length === 0) continue;
      const job = await core.jobs.find(jobId);
      if (!job) continue;
      const type = eventOf(job);
      const record = toUipathJob(row);
      for (const webhook of due) {
        if (!webhook.events.includes(type)) continue;
        const id = randomUUID();
        const now = Date.now();
        const inserted = await store
          .table('uipath_deliveries')
          .insert({
            id,
            webhook_id: webhook.id,
            job_id: jobId,
            url: webhook.url,
            body: eventBody(type, job, record, row.release_key, id),
            state: 'pending',
            attempts: 0,
            next_attempt_at: now,
            created_at: now,
          })
          .onConflict(['webhook_id', 'job_id'])
          .ignore();
        created += Array.isArray(inserted) ? inserted.length : 0;
      }
    }
    if (ended.length < page) break;
    after = ended.at(-1) as EndedJob;
  }
  return created;
};
