import type { RemovedJobRows } from '../jobs/removed-job-rows.js';
import type { Knex } from 'knex';
import { BotgateError } from '../errors.js';
import type { Job, JobAttempt } from '../jobs/job.js';
import { attemptColumns, attemptFromRow, withCurrentAttempt, type AttemptRow } from './job-attempts.js';
import { isFinal, isJobState, jobStates, statesLeadingTo, type JobState } from '../jobs/job-state.js';
import { transitionJobs } from './transition.js';
import { isSqlite, type Database } from './database.js';
import { jobFromRow, type JobRow } from './job-row.js';
import { sql } from './sql.js';
import { flushInserts } from '../store/batched-inserts.js';

const finalStates = jobStates.filter(isFinal);

export const getJob = async (db: Database, id: number): Promise<Job | undefined> => {
  const [row] = await sql<JobRow>(db, 'SELECT * FROM jobs WHERE id = ?', [id]);
  return row ? jobFromRow(row) : undefined;
};

/**
 * The job whose id `select` answers (one statement on an adapter's own tables, selecting one
 * `job_id`), with every run of it: one statement for what took four (the adapter's row, the job,
 * its attempts). With `stampOf`, the statement also reads that topic's change stamp, in the same
 * snapshot: a cache of the topic (the caller's credentials) is then checked without a read of its
 * own.
 */
export const findJobWithAttempts = async (
  db: Database,
  select: string,
  bindings: readonly unknown[],
  stampOf?: string,
): Promise<{ job: Job; attempts: JobAttempt[]; stamp?: number } | undefined> => {
  const stampColumn =
    stampOf === undefined ? '' : ', (SELECT version FROM botgate_stamps WHERE topic = ?) AS botgate_stamp';
  const rows = await sql<JobRow & AttemptRow & { botgate_stamp?: number | string | null }>(
    db,
    `SELECT j.*, ${attemptColumns}${stampColumn} FROM jobs j LEFT JOIN job_attempts a ON a.job_id = j.id WHERE j.id = (${select}) ORDER BY a.number, a.id`,
    stampOf === undefined ? bindings : [stampOf, ...bindings],
  );
  const [first] = rows;
  if (!first) return undefined;
  const job = jobFromRow(first);
  const ended = rows.flatMap((row) => (row.a_number === null ? [] : [attemptFromRow(row)]));
  const found = { job, attempts: withCurrentAttempt(job, ended) };
  // A topic never changed has no row: its stamp is 0, as `ChangeStamps.current` answers.
  return stampOf === undefined ? found : { ...found, stamp: Number(first.botgate_stamp ?? 0) };
};

export interface JobFilter {
  /** Only these jobs (an adapter's own, found in its records). */
  ids?: readonly number[] | undefined;
  state?: JobState | undefined;
  automationId?: string | undefined;
  adapter?: string | undefined;
  /** Only jobs older than this one (a page's last id: the next page, newest first). */
  beforeId?: number | undefined;
  /** Only jobs created at or after this time. */
  createdFrom?: Date | undefined;
  /** Only jobs created before this time. */
  createdTo?: Date | undefined;
  /** Only jobs whose inputs hold this text (names or values, as their JSON has them). */
  inputContains?: string | undefined;
  /** @default 100 */
  limit?: number | undefined;
  /** @default 0 */
  offset?: number | undefined;
  /** @default 'desc' (newest first) */
  order?: 'asc' | 'desc' | undefined;
}

export const listJobs = async (db: Database, filter: JobFilter = {}): Promise<Job[]> => {
  const query = db('jobs').select('*');
  if (filter.state !== undefined) {
    if (!isJobState(filter.state))
      throw new BotgateError('INVALID_CONFIG', `unknown job state "${String(filter.state)}"`);
    query.where({ state: filter.state });
  }
  if (filter.automationId !== undefined) query.where({ automation_id: filter.automationId });
  if (filter.adapter !== undefined) query.where({ adapter: filter.adapter });
  if (filter.ids !== undefined) query.whereIn('id', [...filter.ids]);
  if (filter.beforeId !== undefined) query.where('id', '<', filter.beforeId);
  if (filter.createdFrom !== undefined) query.where('created_at', '>=', filter.createdFrom.getTime());
  if (filter.createdTo !== undefined) query.where('created_at', '<', filter.createdTo.getTime());
  if (filter.inputContains !== undefined && filter.inputContains !== '')
    // The stored JSON text, whatever the case (SQLite's LIKE ignores the case of ASCII letters
    // only; PostgreSQL's ILIKE of every letter): % and _ in the text are themselves, not wildcards.
    query.whereRaw(`inputs ${isSqlite(db) ? 'LIKE' : 'ILIKE'} ? ESCAPE '\\'`, [
      `%${filter.inputContains.replace(/[\\%_]/g, (c) => `\\${c}`)}%`,
    ]);
  const rows = (await query
    .orderBy('id', filter.order ?? 'desc')
    .limit(filter.limit ?? 100)
    .offset(filter.offset ?? 0)) as JobRow[];
  return rows.map(jobFromRow);
};

/** An ended job as a page of `listEndedJobs` has it: enough to look up what an adapter keeps of it. */
export interface EndedJob {
  id: number;
  /** ms since the epoch. */
  finishedAt: number;
}

/** Where a page of ended jobs stopped: its last job. */
export type EndedCursor = EndedJob;

/**
 * Jobs of one adapter that ended at or after `since`, the earliest end first (the finished-at
 * index), as ids and ends only: what an adapter derives its events from (webhooks, callbacks),
 * reading whole jobs only for the few it has an event for. `after` continues a page.
 */
export const listEndedJobs = async (
  db: Database,
  filter: { adapter: string; since: number; after?: EndedCursor | undefined; limit: number },
): Promise<EndedJob[]> => {
  const after = filter.after ?? { finishedAt: filter.since, id: 0 };
  const rows = await sql<{ id: number | string; finished_at: number | string }>(
    db,
    `SELECT id, finished_at FROM jobs WHERE finished_at >= ? AND adapter = ? AND (finished_at > ? OR (finished_at = ? AND id > ?))
     AND state IN (${finalStates.map(() => '?').join(', ')}) ORDER BY finished_at, id LIMIT ?`,
    [filter.since, filter.adapter, after.finishedAt, after.finishedAt, after.id, ...finalStates, filter.limit],
  );
  return rows.map((row) => ({ id: Number(row.id), finishedAt: Number(row.finished_at) }));
};

/** What `countJobs` counts; with `state`, only that state's count is read (an index seek, not a scan). */
export interface JobCountFilter {
  automationId?: string;
  adapter?: string;
  state?: JobState;
}

export const countJobs = async (db: Database, filter: JobCountFilter = {}): Promise<Record<JobState, number>> => {
  const query = db('jobs').select('state').count({ n: '*' }).groupBy('state');
  if (filter.state !== undefined) query.where({ state: filter.state });
  if (filter.automationId !== undefined) query.where({ automation_id: filter.automationId });
  if (filter.adapter !== undefined) query.where({ adapter: filter.adapter });
  const rows = (await query) as Array<{ state: JobState; n: number | string }>;
  const counts = { queued: 0, running: 0, succeeded: 0, failed: 0, timed_out: 0, canceled: 0 };
  for (const row of rows) counts[row.state] = Number(row.n);
  return counts;
};

/**
 * Cancels a queued job at once; for a running job, sets the flag its node acts on (it kills the
 * process and ends the job `canceled`). A final job cannot be canceled.
 */
export const requestCancel = async (db: Database, id: number): Promise<Job> => {
  const now = Date.now();
  const canceled = await transitionJobs(db, {
    to: 'canceled',
    from: statesLeadingTo('canceled').filter((s) => s !== 'running'),
    where: { id },
    set: { error: 'canceled', error_code: 'CANCELED', finished_at: now },
  });
  const flagged =
    canceled === 0 ? await db('jobs').where({ id, state: 'running' }).update({ cancel_requested: true }) : 0;
  const job = await getJob(db, id);
  if (!job) throw new BotgateError('JOB_NOT_FOUND', `job ${id} does not exist`, { jobId: id });
  if (canceled === 0 && flagged === 0) {
    throw new BotgateError('NOT_CANCELABLE', `job ${id} has already ended (${job.state})`, {
      jobId: id,
      state: job.state,
    });
  }
  return job;
};

/** An adapter's share of a removed job: see `AdapterDescriptor.removeJobRows`. */
export type RemoveJobRows = (tx: Knex.Transaction, jobIds: readonly number[]) => Promise<RemovedJobRows>;

/**
 * Deletes up to 1,000 final jobs that ended before `before`, with every row they own (their
 * attempts, idempotency keys, each adapter's rows) in one transaction; answers their working
 * folders for removal and the rows removed per table.
 */
export const deleteFinishedJobs = async (
  db: Database,
  before: number,
  adapters: readonly RemoveJobRows[],
): Promise<{ folders: string[]; removed: Record<string, number> }> => {
  const rows: Array<{ id: number; work_dir: string }> = await db('jobs')
    .where('finished_at', '<', before)
    .select('id', 'work_dir')
    .orderBy('id')
    .limit(1000);
  if (rows.length === 0) return { folders: [], removed: {} };
  const ids = rows.map((r) => Number(r.id));
  const removed: Record<string, number> = {};
  const folders = rows.map((r) => r.work_dir);
  await db.transaction(async (tx) => {
    for (const remove of adapters) {
      const theirs = await remove(tx, ids);
      Object.assign(removed, theirs.rows);
      folders.push(...(theirs.folders ?? []));
    }
    await flushInserts(tx);
    removed.job_attempts = await tx('job_attempts').whereIn('job_id', ids).delete();
    removed.idempotency_keys = await tx('idempotency_keys').whereIn('job_id', ids).delete();
    removed.jobs = await tx('jobs').whereIn('id', ids).delete();
  });
  return { folders, removed };
};

/** Fails every queued job of an automation that can no longer run. */
export const failQueuedJobs = (db: Database, automationId: string, error: string): Promise<number> =>
  transitionJobs(db, {
    to: 'failed',
    from: ['queued'],
    where: { automation_id: automationId },
    set: { error, error_code: 'AUTOMATION_REMOVED', finished_at: Date.now() },
  });
