import type { Knex } from 'knex';
import type { InputWorkItem, Job } from '../jobs/job.js';
import type { JsonValue } from '../variables/index.js';
import type { Values } from '../variables/index.js';
import { compareText } from '../compare-text.js';
import { createBatcher } from './batcher.js';
import { durable, isSqlite, rawRows, type Database } from './database.js';
import { jobFromRow, type JobRow } from './job-row.js';
import { boundTransaction, sql } from './sql.js';
import { flushInserts } from '../store/batched-inserts.js';
import { jobsChannel } from './job-notifications.js';

export interface NewJob {
  automationId: string;
  adapter: string;
  inputs: Values;
  inputFiles: Array<{ name: string; size: number }>;
  workDir: string;
  maxAttempts: number;
  idempotencyKey?: string | undefined;
  idempotencyWindowMs: number;
  metadata?: Record<string, unknown> | undefined;
  workItem?: JsonValue | undefined;
  workItems?: InputWorkItem[] | undefined;
  /**
   * Runs inside the job's transaction, after its insert: an adapter's own row (a vendor's job
   * number, a run id) commits or rolls back with the job, so no answered id can point nowhere.
   */
  inTransaction?: ((tx: Knex.Transaction, job: Job) => Promise<void>) | undefined;
}

export type Enqueued = { job: Job; created: boolean };

// A queued job's own values: column and type, in the order of the insert's bindings.
const queuedColumns = [
  ['automation_id', 'TEXT'],
  ['adapter', 'TEXT'],
  ['inputs', 'TEXT'],
  ['input_files', 'TEXT'],
  ['max_attempts', 'INTEGER'],
  ['idempotency_key', 'TEXT'],
  ['work_dir', 'TEXT'],
  ['metadata', 'TEXT'],
  ['work_item', 'TEXT'],
  ['work_items', 'TEXT'],
  ['created_at', 'BIGINT'],
] as const;
const names = queuedColumns.map(([name]) => name).join(', ');
const fixedColumns = 'state, outputs, output_files, log, attempt, cancel_requested';
const fixedValues = "'queued', '{}', '[]', '', 0, false";

const insertJob = `INSERT INTO jobs (${names}, ${fixedColumns})
  VALUES (${queuedColumns.map(() => '?').join(', ')}, ${fixedValues}) RETURNING *`;

/**
 * PostgreSQL: a whole batch in one statement, its values one JSON parameter, the nodes told in
 * the same statement (at commit). Ids are drawn in the batch's order; `ord` says which row is
 * whose.
 */
const insertJobs = `WITH v AS MATERIALIZED (
    SELECT nextval(pg_get_serial_sequence('jobs', 'id')) AS id, r.*
      FROM (SELECT * FROM json_to_recordset(CAST(? AS json))
              AS r(ord integer, ${queuedColumns.map(([name, type]) => `${name} ${type}`).join(', ')}) ORDER BY ord) AS r),
  ins AS (INSERT INTO jobs (id, ${names}, ${fixedColumns}) SELECT id, ${names}, ${fixedValues} FROM v RETURNING *)
  SELECT ins.*, v.ord, pg_notify('${jobsChannel}', ins.automation_id) FROM ins JOIN v ON v.id = ins.id`;

const valuesOf = (job: NewJob, now: number): unknown[] => [
  job.automationId,
  job.adapter,
  JSON.stringify(job.inputs),
  JSON.stringify(job.inputFiles),
  job.maxAttempts,
  job.idempotencyKey ?? null,
  job.workDir,
  JSON.stringify(job.metadata ?? {}),
  job.workItem === undefined ? null : JSON.stringify(job.workItem),
  job.workItems === undefined ? null : JSON.stringify(job.workItems),
  now,
];

/** PostgreSQL: inserts the batch's jobs in one statement and answers their rows in the batch's order. */
const insertQueuedRows = async (
  db: Database | Knex.Transaction,
  jobs: readonly NewJob[],
  now: number,
): Promise<JobRow[]> => {
  const records = jobs.map((job, ord) =>
    Object.fromEntries([['ord', ord], ...valuesOf(job, now).map((value, i) => [queuedColumns[i]?.[0], value])]),
  );
  const rows = await rawRows<JobRow & { ord: number }>(db, insertJobs, [JSON.stringify(records)]);
  const byOrd = new Map(rows.map((row) => [row.ord, row]));
  return jobs.map((_, ord) => {
    const row = byOrd.get(ord);
    if (!row) throw new Error('insert returned no row');
    return row;
  });
};

/** What `insertQueuedJob` left for after the commit: the new job, or the key's first job to look up. */
export type Inserted = { row: JobRow } | { duplicateOf: { automationId: string; key: string } };

/**
 * Inserts one queued job inside `tx` (the caller commits), then what belongs with it.
 */
const insertQueuedJob = async (tx: Knex.Transaction, job: NewJob, now: number): Promise<Inserted> => {
  // The insert comes first so SQLite takes its write lock at once; a read first would let two
  // processes both see "no key" and one of them fail to upgrade its lock.
  const [inserted] = await sql<JobRow>(tx, insertJob, valuesOf(job, now));
  if (!inserted) throw new Error('insert returned no row');
  return withInserted(tx, job, inserted, now);
};

/**
 * What commits with a job just inserted. With an idempotency key, a live key keeps nothing new:
 * the row is deleted again and the key's first job is answered after the commit. No exception
 * for that case, so one duplicate does not undo a whole batch.
 */
const withInserted = async (tx: Knex.Transaction, job: NewJob, inserted: JobRow, now: number): Promise<Inserted> => {
  if (job.idempotencyKey !== undefined) {
    const claimed = await tx('idempotency_keys')
      .insert({
        automation_id: job.automationId,
        key: job.idempotencyKey,
        job_id: inserted.id,
        expires_at: now + job.idempotencyWindowMs,
      })
      .onConflict(['automation_id', 'key'])
      .merge(['job_id', 'expires_at'])
      .where('idempotency_keys.expires_at', '<=', now)
      .returning('job_id');
    if (claimed.length === 0) {
      await tx('jobs').where({ id: inserted.id }).delete();
      return { duplicateOf: { automationId: job.automationId, key: job.idempotencyKey } };
    }
  }
  await job.inTransaction?.(tx, jobFromRow(inserted));
  return { row: inserted };
};

/** After the commit: the job a trigger is answered with. */
export const enqueuedOf = async (db: Database, inserted: Inserted): Promise<Enqueued> => {
  if ('row' in inserted) return { job: jobFromRow(inserted.row), created: true };
  const { automationId, key } = inserted.duplicateOf;
  const original = (await db('jobs')
    .join('idempotency_keys', 'idempotency_keys.job_id', 'jobs.id')
    .where({ 'idempotency_keys.automation_id': automationId, 'idempotency_keys.key': key })
    .first('jobs.*')) as JobRow | undefined;
  if (!original) throw new Error(`idempotency key "${key}" points to no job`);
  return { job: jobFromRow(original), created: false };
};

/**
 * Inserts queued jobs in one transaction and tells the nodes (at commit on PostgreSQL). When this
 * resolves they are committed; on SQLite, `durable` tells when they are on disk.
 */
export const enqueueJobs = async (db: Database, jobs: readonly NewJob[]): Promise<Inserted[]> => {
  const now = Date.now();
  let results: Inserted[];
  if (isSqlite(db)) {
    results = await boundTransaction(db, async (tx) => {
      const inserted: Inserted[] = [];
      for (const job of jobs) inserted.push(await insertQueuedJob(tx, job, now));
      await flushInserts(tx);
      return inserted;
    });
  } else if (jobs.every((job) => job.idempotencyKey === undefined && job.inTransaction === undefined)) {
    // Nothing else commits with these jobs: one statement, atomic by itself, is one round trip.
    results = (await insertQueuedRows(db, jobs, now)).map((row) => ({ row }));
  } else {
    results = await boundTransaction(db, async (tx) => {
      const rows = await insertQueuedRows(tx, jobs, now);
      const inserted: Inserted[] = [];
      for (const [i, job] of jobs.entries()) inserted.push(await withInserted(tx, job, rows[i] as JobRow, now));
      await flushInserts(tx);
      return inserted;
    });
  }
  return results;
};

/**
 * Jobs submitted together share one commit (see `createBatcher`); each resolves once it is
 * durable. The disk flush is outside the batch: the next batch commits while the last one's
 * flush runs, and waits for the flush after it (`WalSync`), so a slow flush delays answers, never
 * the next commits. `onCommitted` hears of each commit before its flush, so this node's
 * dispatcher can claim the jobs meanwhile: the trigger is still answered only once its job is on
 * disk, and should the machine lose power in between, the job and its claim are gone together
 * and its caller, never answered, sends it again.
 */
export const createJobEnqueuer = (db: Database, onCommitted?: () => void): ((job: NewJob) => Promise<Enqueued>) => {
  const committed = async (jobs: readonly NewJob[]): Promise<Inserted[]> => {
    const inserted = await enqueueJobs(db, jobs);
    onCommitted?.();
    return inserted;
  };
  const commit = createBatcher<NewJob, Inserted>({
    many: committed,
    one: async (job) => (await committed([job]))[0] as Inserted,
    maxBatch: 256,
    // Adapters lock per skill or process inside the transaction: one order on every node.
    compare: (a, b) => compareText(a.automationId, b.automationId),
  });
  return async (job) => {
    const inserted = await commit(job);
    await durable(db);
    return enqueuedOf(db, inserted);
  };
};
