import type { AttemptState, Job } from '../jobs/job.js';
import { assertTransition, type FinalJobState } from '../jobs/job-state.js';
import { createBatcher } from './batcher.js';
import { durable, isSqlite, rawRows, type Database } from './database.js';
import { transaction } from './sql.js';
import { insertAttempts, type EndedAttempt } from './job-attempts.js';
import { jobFromRow, type JobRow } from './job-row.js';
import { wantedJson, type ClaimQueuedRequest } from './claim-jobs.js';
import { batchMoveSql } from './transition.js';
import { storableText } from './unstorable-text.js';

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
const move = batchMoveSql('running', 'j.state', 'v.state');

const finishedValues = (finishes: readonly Finish[], now: number): unknown[][] =>
  finishes.map(({ id, nodeId, outcome, runAfter }) => {
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

/**
 * SQLite: each job guarded by the transition table and its lease owner (a job another node has
 * taken over keeps that node's state, and is missing from the rows returned), and the attempt
 * that ended, in one transaction. PostgreSQL runs the same statement in `botgate_end_and_claim`
 * (migration 0013).
 */
const endOnSqlite = (db: Database, finishes: readonly Finish[]): Promise<JobRow[]> =>
  transaction(db, async (query) => {
    const rows: JobRow[] = [];
    for (let at = 0; at < finishes.length; at += chunk) {
      const part = finishes.slice(at, at + chunk);
      const now = Date.now();
      // SQLite's RETURNING cannot name the FROM table: the attempts are made from what we sent.
      const ended = await query<JobRow>(
        `UPDATE jobs AS j
            SET ${move.set}, outputs = v.outputs, output_files = v.output_files, output_work_items = v.output_work_items,
                exit_code = v.exit_code, error = v.error, error_code = v.error_code, log = v.log,
                lease_owner = NULL, lease_expires_at = NULL,
                cancel_requested = CASE WHEN v.requeue = 1 THEN j.cancel_requested ELSE false END,
                max_attempts = j.max_attempts + v.refund, finished_at = v.finished_at, run_after = v.run_after
           FROM (${part.map(() => finishedRow).join(' UNION ALL ')}) AS v
          WHERE j.id = v.id AND ${move.guard} AND j.lease_owner = v.node
          RETURNING *`,
        finishedValues(part, now).flat(),
      );
      const sent = new Map(part.map((finish) => [finish.id, finish]));
      await insertAttempts(
        query,
        ended.map((row) => endedAttempt(row, sent.get(Number(row.id)) as Finish, now)),
      );
      rows.push(...ended);
    }
    return rows;
  });

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

export interface EndedAndClaimed {
  /** Per finish, in order: the ended job, or `undefined` for a job another node has taken over. */
  ended: Array<Job | undefined>;
  /** The jobs claimed with the ends (`claim`), running under this node's lease. */
  claimed: Job[];
}

/**
 * Ends running jobs in one transaction and answers them (`undefined` for a job another node has
 * taken over: our lease expired, and our late result is dropped). Written, not yet on disk: see
 * `createJobFinisher`. On PostgreSQL, `claim` claims the slots the ends free in the same call
 * (`botgate_end_and_claim`): a draining node waits for one round trip between its jobs, not
 * two. SQLite ignores it; its claim is a local statement, no wait worth saving.
 */
/** The finish with its log and error storable in either database (the job row's and its attempt's). */
const storable = (finish: Finish): Finish => {
  const { error, log } = finish.outcome;
  const safeError = storableText(error);
  const safeLog = storableText(log);
  return safeError === error && safeLog === log
    ? finish
    : { ...finish, outcome: { ...finish.outcome, error: safeError, log: safeLog } };
};

export const endJobs = async (
  db: Database,
  given: readonly Finish[],
  claim?: ClaimQueuedRequest,
): Promise<EndedAndClaimed> => {
  const finishes = given.map(storable);
  for (const { id, outcome } of finishes) assertTransition('running', outcome.state, id);
  let rows: JobRow[];
  if (isSqlite(db)) rows = await endOnSqlite(db, finishes);
  else {
    const records = finishedValues(finishes, Date.now()).map((row) =>
      Object.fromEntries(row.map((value, i) => [finishedColumns[i]?.[0], value])),
    );
    rows = await rawRows<JobRow>(db, 'SELECT * FROM botgate_end_and_claim(?, ?, ?, ?, ?)', [
      JSON.stringify(records),
      wantedJson(claim?.automations ?? []),
      claim?.free ?? 0,
      claim?.nodeId ?? null,
      claim?.leaseMs ?? 0,
    ]);
  }
  // A claimed job is running; an ended one never is (a job ended back to the queue may be
  // claimed again by the same call, and is then in both).
  const byId = new Map<number, JobRow>();
  const claimed: Job[] = [];
  for (const row of rows) {
    if (row.state === 'running') claimed.push(jobFromRow(row));
    else byId.set(Number(row.id), row);
  }
  return {
    ended: finishes.map(({ id }) => {
      const row = byId.get(id);
      return row ? jobFromRow(row) : undefined;
    }),
    claimed: claimed.sort((a, b) => a.id - b.id),
  };
};

/** What a dispatcher claims along with a batch of ends (see `endJobs`). */
export interface ClaimAlong {
  /** The claim for the slots these ends free on this node, or nothing; reserved until `claimed`. */
  plan(finishes: readonly Finish[]): ClaimQueuedRequest | undefined;
  /** Called once for every plan made: the jobs it claimed, none when the write failed. */
  claimed(jobs: Job[], plan: ClaimQueuedRequest): void;
}

export interface JobFinisher {
  /**
   * Ends a job; resolves once the write has succeeded, the disk flush following behind (a
   * failed write is an error; an fsync need not hold up the job's slot or a real-time answer).
   */
  written(finish: Finish): Promise<Job | undefined>;
  /** Resolves once every end written so far is on disk: before anyone else hears of an end (a webhook, a waiting CLI). */
  flushed(): Promise<void>;
}

/** Jobs ended together share one commit (see `createBatcher`). */
export const createJobFinisher = (db: Database): JobFinisher & { claimAlong(along: ClaimAlong): void } => {
  let along: ClaimAlong | undefined;
  const end = async (finishes: readonly Finish[]): Promise<Array<Job | undefined>> => {
    const plan = isSqlite(db) ? undefined : along?.plan(finishes);
    if (!plan) return (await endJobs(db, finishes)).ended;
    let claimed: Job[] = [];
    try {
      const result = await endJobs(db, finishes, plan);
      claimed = result.claimed;
      return result.ended;
    } catch {
      // Whatever failed, the jobs must still end: the ends again, without the claim. Should the
      // claim have been the cause, the dispatcher's next look for work meets it and reports it.
      return (await endJobs(db, finishes)).ended;
    } finally {
      along?.claimed(claimed, plan);
    }
  };
  const written = createBatcher<Finish, Job | undefined>({
    many: end,
    one: async (finish) => (await end([finish]))[0],
    maxBatch: 256,
  });
  return {
    written,
    flushed: () => durable(db),
    claimAlong: (next: ClaimAlong) => {
      along = next;
    },
  };
};
