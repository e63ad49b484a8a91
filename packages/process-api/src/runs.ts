import { createHash, randomUUID } from 'node:crypto';
import { createSequence, sql, validateInputs, valuesFromPlain, type Core, type InputFile, type Job, type JobAttempt, type Transaction } from '@botgate/core';
import { durationOf, mapJobState } from './map-job-state.js';
import type { Process } from './processes.js';

export interface Run {
  runId: string;
  jobId: number;
  processId: string;
  workItemId: string;
  runNo: number;
  createdAt: Date;
}

interface RunRow {
  run_id: string;
  job_id: number;
  process_id: string;
  work_item_id: string;
  run_no: number;
  created_at: number | string;
}

const toRun = (row: RunRow): Run => ({
  runId: row.run_id,
  jobId: Number(row.job_id),
  processId: row.process_id,
  workItemId: row.work_item_id,
  runNo: Number(row.run_no),
  createdAt: new Date(Number(row.created_at)),
});

/** A stable id derived from others (a robot run of an attempt, an artifact of a run), in UUID form. */
export const derivedId = (...parts: Array<string | number>): string => {
  const hex = createHash('sha256').update(parts.join('/')).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
};

/**
 * The payload's values for the manifest's declared inputs (a null is an absent value), checked
 * against their types: the rest of the payload reaches the robot only through the work item.
 */
export const declaredInputs = (core: Core, process: Process, payload: Record<string, unknown>): Record<string, unknown> => {
  const automation = core.catalog.get(process.automationId);
  const declared = Object.fromEntries(Object.entries(payload).filter(([name, value]) => Object.hasOwn(automation.inputs, name) && value !== null));
  validateInputs(automation.inputs, valuesFromPlain(automation.inputs, declared));
  return declared;
};

// Run numbers of one process are handed out one transaction at a time, on every node.
const runNumbers = createSequence({
  lockPrefix: 'process-api',
  readLast: async (tx, processId) => {
    const [row] = await sql<{ n: number | string | null }>(tx, 'SELECT max(run_no) AS n FROM process_api_runs WHERE process_id = ?', [processId]);
    return Number(row?.n ?? 0);
  },
});

/** Process runs over core jobs: Robocorp's ids and run numbers, written in the job's own transaction. */
export const createRuns = (core: Core) => {
  const table = () => core.db<RunRow>('process_api_runs');

  const insert = async (tx: Transaction, processId: string, jobId: number): Promise<Run> => {
    const runNo = await runNumbers.next(tx, processId);
    const row: RunRow = { run_id: randomUUID(), job_id: jobId, process_id: processId, work_item_id: randomUUID(), run_no: runNo, created_at: Date.now() };
    await sql(tx, 'INSERT INTO process_api_runs (run_id, job_id, process_id, work_item_id, run_no, created_at) VALUES (?, ?, ?, ?, ?, ?)', [row.run_id, row.job_id, row.process_id, row.work_item_id, row.run_no, row.created_at]);
    return toRun(row);
  };

  const byJob = async (jobId: number): Promise<Run | undefined> => {
    const row = await table().where({ job_id: jobId }).first();
    return row ? toRun(row) : undefined;
  };

  return {
    /**
     * Queues a run: the payload is the work item, kept verbatim for the robot; the manifest's
     * declared inputs are read from it. The run row commits with the job.
     */
    async start(process: Process, payload: Record<string, unknown>, options: { idempotencyKey?: string | undefined; files?: InputFile[] } = {}): Promise<{ run: Run; job: Job }> {
      const declared = declaredInputs(core, process, payload);
      let run: Run | undefined;
      const { job } = await core.jobs.enqueue({
        automationId: process.automationId,
        adapter: 'process-api',
        plainInputs: declared,
        workItem: payload,
        ...(options.files ? { files: options.files } : {}),
        ...(options.idempotencyKey === undefined ? {} : { idempotencyKey: options.idempotencyKey }),
        inTransaction: async (tx, created) => {
          run = await insert(tx, process.processId, created.id);
        },
      });
      run ??= await byJob(job.id);
      if (!run) throw new Error(`job ${job.id} has no process run`);
      return { run, job };
    },
    async find(processId: string, runId: string): Promise<{ run: Run; job: Job } | undefined> {
      const [row] = await sql<RunRow>(core.db, 'SELECT * FROM process_api_runs WHERE run_id = ? AND process_id = ?', [runId, processId]);
      if (!row) return undefined;
      const job = await core.jobs.find(Number(row.job_id));
      return job ? { run: toRun(row), job } : undefined;
    },
    async list(processId: string, limit: number): Promise<Array<{ run: Run; job: Job }>> {
      const rows = await table().where({ process_id: processId }).orderBy('run_no', 'desc').limit(limit);
      const found = await Promise.all(rows.map(async (row) => ({ run: toRun(row), job: await core.jobs.find(Number(row.job_id)) })));
      return found.filter((r): r is { run: Run; job: Job } => r.job !== undefined);
    },
    byJob,
  };
};

export type Runs = ReturnType<typeof createRuns>;

/** The legacy (workspace-v1) view of a run. */
export const legacyRunView = (run: Run, job: Job, workspaceId: string) => {
  const { state, result, errorCode } = mapJobState(job);
  return { id: run.runId, result, state, errorCode, duration: durationOf(job), workspaceId };
};

/** A robot run: one attempt of the run, with an id of its own. */
const robotRunView = (run: Run, attempt: JobAttempt) => {
  const { state, result, errorCode } = mapJobState({
    state: attempt.state === 'interrupted' ? 'failed' : attempt.state,
    errorCode: attempt.errorCode,
  });
  return {
    id: derivedId(run.runId, 'robot-run', attempt.number),
    state,
    result,
    errorCode,
    startedAt: attempt.startedAt?.toISOString() ?? null,
    finishedAt: attempt.endedAt?.toISOString() ?? null,
  };
};

/** The process-v1 view of a run. */
export const runView = (run: Run, job: Job, attempts: JobAttempt[], process: Process, workspaceId: string) => {
  const { state, result, errorCode } = mapJobState(job);
  return {
    id: run.runId,
    result,
    state,
    errorCode,
    workspaceId,
    processId: process.processId,
    processName: process.name,
    duration: durationOf(job),
    robotRuns: attempts.map((attempt) => robotRunView(run, attempt)),
    runNo: run.runNo,
    createdAt: run.createdAt.toISOString(),
    startedAt: job.startedAt?.toISOString() ?? null,
    finishedAt: job.finishedAt?.toISOString() ?? null,
  };
};
