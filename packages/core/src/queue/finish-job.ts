import type { AttemptState, Job } from '../jobs/job.js';
import { assertTransition, type FinalJobState } from '../jobs/job-state.js';
import { createBatcher } from './batcher.js';
import { durable, isSqlite, rawRows, type Database } from './database.js';
import { transaction, type Query } from './sql.js';
import { insertAttempts, type EndedAttempt } from './job-attempts.js';
import { jobFromRow, type JobRow } from './job-row.js';
import { jobsChannel } from './job-notifications.js';
import { batchMoveSql } from './transition.js';

export interface JobOutcome extends Pick<
  Job,
  'outputs' | 'outputFiles' | 'outputWorkItems' | 'exitCode' | 'error' | 'errorCode' | 'log'
> {
  /** `queued`: the job goes back to the queue (a retry, or a run cut short by shutdown). */
  state: FinalJobState | 'queued';
  /** A run stopped by our own shutdown is not the job's fault: it gets one more attempt. */
  refundAttempt?: boolean;
}

export interface Finish {
  id: number;
  nodeId: string;
  outcome: JobOutcome;
  /** A requeued job is not claimed before this (the retry's backoff). */
  runAfter?: number | undefined;
}

/** How the run itself ended, as its attempt records it. */
export const attemptStateOf = (outcome: JobOutcome): Exclude<AttemptState, 'running'> =>
  outcome.errorCode === 'INTERRUPTED' ? 'interrupted' : outcome.state === 'queued' ? 'failed' : outcome.state;

// A finished job as the batch statement reads it: column and type, in the order of the values.
const finishedColumns = [
  ['id', 'INTEGER'],
  ['state', 'TEXT'],
  ['outputs', 'TEXT'],
  ['output_files', 'TEXT'],
  ['output_work_items', 'TEXT'],
  ['exit_code', 'INTEGER'],
  ['error', 'TEXT'],
  ['error_code', 'TEXT'],
  ['log', 'TEXT'],
  ['requeue', 'INTEGER'],
  ['refund', 'INTEGER'],
  ['finished_at', 'BIGINT'],
  ['node', 'TEXT'],
  ['run_after', 'BIGINT'],
  ['attempt_state', 'TEXT'],
  ['ended_at', 'BIGINT'],
] as const;
// SQLite: a row of bindings per job, 16 bindings a job: 64 jobs stay under its limit on bindings.
const chunk = 64;
const finishedRow = `SELECT ${finishedColumns.map(([name, type]) => `CAST(? AS ${type}) AS ${name}`).join(', ')}`;
// PostgreSQL: the whole batch as one JSON parameter, so the statement and its plan are the same
// for any batch (256 parameters in sixteen UNION ALL branches took longer to plan than to run).
const finishedRecords = `json_to_recordset(CAST(? AS json)) AS v(${finishedColumns.map(([name, type]) => `${name} ${type}`).join(', ')})`;
const move = batchMoveSql('running', 'j.state', 'v.state');

/**
 * Each job guarded by the transition table and its lease owner: a job another node has taken
 * over keeps that node's state, and is missing from the rows returned. The attempt that ended is
 * written in the same statement (PostgreSQL) or transaction (SQLite).
 */
const updateFinished = async (db: Database, query: Query, finishes: readonly Finish[]): Promise<JobRow[]> => {
  const now = Date.now();
  const values = finishes.map(({ id, nodeId, outcome, runAfter }) => {
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
      requeue ? (runAfter ?? null) : null,
      attemptStateOf(outcome),
      now,
    ];
  });
  const sqlite = isSqlite(db);
  const bindings = sqlite
    ? values.flat()
    : [
        JSON.stringify(
          values.map((row) => Object.fromEntries(row.map((value, i) => [finishedColumns[i]?.[0], value]))),
        ),
      ];
  const update = `UPDATE jobs AS j
        SET ${move.set}, outputs = v.outputs, output_files = v.output_files, output_work_items = v.output_work_items,
            exit_code = v.exit_code, error = v.error, error_code = v.error_code, log = v.log,
            lease_owner = NULL, lease_expires_at = NULL,
            cancel_requested = CASE WHEN v.requeue = 1 THEN j.cancel_requested ELSE false END,
            max_attempts = j.max_attempts + v.refund, finished_at = v.finished_at, run_after = v.run_after
       FROM ${sqlite ? `(${finishes.map(() => finishedRow).join(' UNION ALL ')}) AS v` : finishedRecords}
      WHERE j.id = v.id AND ${move.guard} AND j.lease_owner = v.node`;
  if (sqlite) {
    // SQLite's RETURNING cannot name the FROM table: the attempts are made from what we sent.
    const rows = await query<JobRow>(`${update} RETURNING *`, bindings);
    const sent = new Map(finishes.map((finish) => [finish.id, finish]));
    await insertAttempts(
      query,
      rows.map((row) => endedAttempt(row, sent.get(Number(row.id)) as Finish, now)),
    );
    return rows;
  }
  // Slots are free again (or jobs are back in the queue): other nodes may claim. PostgreSQL
  // sends one notification per automation and transaction, however many rows ask for it.
  return query<JobRow>(
    `WITH done AS (${update} RETURNING j.*, v.node AS attempt_node, v.attempt_state, v.ended_at AS attempt_ended_at),
     attempts AS (INSERT INTO job_attempts (job_id, number, node_id, started_at, ended_at, state, error_code, error, exit_code, log)
       SELECT id, attempt, attempt_node, started_at, attempt_ended_at, attempt_state, error_code, error, exit_code, log FROM done)
     SELECT done.*, pg_notify('${jobsChannel}', done.automation_id) FROM done`,
    bindings,
  );
};

const endedAttempt = (row: JobRow, finish: Finish, now: number): EndedAttempt => ({
  jobId: Number(row.id),
  number: row.attempt,
  nodeId: finish.nodeId,
  startedAt: row.started_at === null ? null : Number(row.started_at),
  endedAt: now,
  state: attemptStateOf(finish.outcome),
  errorCode: finish.outcome.errorCode,
  error: finish.outcome.error,
  exitCode: finish.outcome.exitCode,
  log: finish.outcome.log,
});

/**
 * Ends running jobs in one transaction and answers them (`undefined` for a job another node has
 * taken over: our lease expired, and our late result is dropped). Written, not yet on disk: see
 * `createJobFinisher`.
 */
export const finishJobs = async (db: Database, finishes: readonly Finish[]): Promise<Array<Job | undefined>> => {
  for (const { id, outcome } of finishes) assertTransition('running', outcome.state, id);
  // On PostgreSQL the batch is one statement, atomic without BEGIN and COMMIT: two round trips
  // fewer for every batch of job ends.
  const rows = !isSqlite(db)
    ? await updateFinished(db, (text, bindings = []) => rawRows(db, text, bindings), finishes)
    : await transaction(db, async (query) => {
        const all: JobRow[] = [];
        for (let at = 0; at < finishes.length; at += chunk)
          all.push(...(await updateFinished(db, query, finishes.slice(at, at + chunk))));
        return all;
      });
  const byId = new Map(rows.map((row) => [Number(row.id), row]));
  return finishes.map(({ id }) => {
    const row = byId.get(id);
    return row ? jobFromRow(row) : undefined;
  });
};

export interface JobFinisher {
  /** Ends a job; resolves once its end is on disk, before anyone hears of it (a poller, a webhook, a waiting CLI). */
  (finish: Finish): Promise<Job | undefined>;
  /**
   * Ends a job; resolves once the write has succeeded, the disk flush following behind (a
   * real-time answer: a failed write is an error answer, an fsync need not hold it up).
   */
  written(finish: Finish): Promise<Job | undefined>;
}

/** Jobs ended together share one commit (see `createBatcher`). */
export const createJobFinisher = (db: Database): JobFinisher => {
  const written = createBatcher<Finish, Job | undefined>({
    many: (finishes) => finishJobs(db, finishes),
    one: async (finish) => (await finishJobs(db, [finish]))[0],
    maxBatch: 256,
  });
  const finisher = async (finish: Finish): Promise<Job | undefined> => {
    const job = await written(finish);
    await durable(db);
    return job;
  };
  return Object.assign(finisher, { written });
};
