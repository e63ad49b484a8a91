import { createHash } from 'node:crypto';
import {
  createSequence,
  validateInputs,
  valuesFromPlain,
  type Core,
  type HeldStamp,
  type Job,
  type JobAttempt,
  type JsonValue,
  type StoreTransaction,
} from '@botgate/core';
import { ProcessApiError } from './errors.js';
import { newId } from './new-id.js';
import { durationOf, mapJobState } from './map-job-state.js';
import { processesTopic, type Process } from './processes.js';
import type { WorkItem, WorkItems } from './work-items.js';

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
export const declaredInputs = (core: Core, process: Process, payload: JsonValue): Record<string, unknown> => {
  const automation = core.catalog.get(process.automationId);
  // An array (or any other JSON) is a payload too; only an object's fields can be inputs.
  const fields = typeof payload === 'object' && payload !== null && !Array.isArray(payload) ? payload : {};
  const declared = Object.fromEntries(
    Object.entries(fields).filter(([name, value]) => Object.hasOwn(automation.inputs, name) && value !== null),
  );
  validateInputs(automation.inputs, valuesFromPlain(automation.inputs, declared));
  return declared;
};

// Run numbers of one process are handed out one transaction at a time, on every node.
const runNumbers = createSequence({
  table: 'process_api_run_numbers',
  lastOf: 'SELECT coalesce(max(run_no), 0) FROM process_api_runs WHERE process_id = ?',
});

/** What a run is made of: a payload (a new work item, `POST …/runs`), or work items made beforehand (`run-request`, a retry). */
export type RunSource = { payload: JsonValue } | { items: WorkItem[]; takenFrom: string | null };

/** Process runs over core jobs: Robocorp's ids and run numbers, written in the job's own transaction with its work items. */
export const createRuns = (core: Core, workItems: WorkItems) => {
  const store = core.store('process-api');
  const table = () => store.table<RunRow>('process_api_runs');

  const insert = async (tx: StoreTransaction, processId: string, jobId: number, workItemId: string): Promise<Run> => {
    const runNo = await runNumbers.next(tx, processId);
    const row: RunRow = {
      run_id: newId(),
      job_id: jobId,
      process_id: processId,
      work_item_id: workItemId,
      run_no: runNo,
      created_at: Date.now(),
    };
    // Inserted with the other runs of its group commit, in one statement before the commit.
    tx.insert('process_api_runs', { ...row });
    return toRun(row);
  };

  const withJobs = async (rows: RunRow[]): Promise<Array<{ run: Run; job: Job }>> => {
    const found = await Promise.all(
      rows.map(async (row) => ({ run: toRun(row), job: await core.jobs.find(Number(row.job_id)) })),
    );
    return found.filter((r): r is { run: Run; job: Job } => r.job !== undefined);
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
    async start(
      process: Process,
      source: RunSource,
      options: { idempotencyKey?: string | undefined; held?: HeldStamp | undefined } = {},
    ): Promise<{ run: Run; job: Job }> {
      const items = 'items' in source ? source.items : undefined;
      if (items?.length === 0) throw new ProcessApiError('BAD_REQUEST', 'a run needs at least one work item');
      const declared = declaredInputs(
        core,
        process,
        items ? (items[0] as WorkItem).payload : (source as { payload: JsonValue }).payload,
      );
      const { job, record: run } = await core.jobs.enqueueRecorded({
        automationId: process.automationId,
        adapter: 'process-api',
        plainInputs: declared,
        workItems: items?.map((item) => ({ payload: item.payload, files: workItems.inputFiles(item) })),
        workItem: items ? undefined : (source as { payload: JsonValue }).payload,
        idempotencyKey: options.idempotencyKey,
        held: options.held,
        record: async (tx, created) => {
          if (items) {
            const run = await insert(tx, process.processId, created.id, (items[0] as WorkItem).id);
            await workItems.take(
              tx,
              items.map((item) => item.id),
              run.runId,
              (source as { takenFrom: string | null }).takenFrom,
            );
            return run;
          }
          const run = await insert(tx, process.processId, created.id, newId());
          await workItems.insertForRun(
            tx,
            process.processId,
            run.workItemId,
            run.runId,
            (source as { payload: JsonValue }).payload,
          );
          return run;
        },
        recordOf: (first) => byJob(first.id),
      });
      if (!run) throw new Error(`job ${job.id} has no process run`);
      return { run, job };
    },
    /**
     * The job of a run, with its attempts, in one statement (what the legacy status reads), and
     * the processes' change stamp read with it, so that the caller's secret is checked without a
     * read of its own.
     */
    jobOf: (
      processId: string,
      runId: string,
    ): Promise<{ job: Job; attempts: JobAttempt[]; stamp?: number } | undefined> =>
      store.findJob('SELECT job_id FROM process_api_runs WHERE run_id = ? AND process_id = ?', [runId, processId], {
        stampOf: processesTopic,
      }),
    async find(processId: string, runId: string): Promise<{ run: Run; job: Job } | undefined> {
      const [row] = await store.query<RunRow>('SELECT * FROM process_api_runs WHERE run_id = ? AND process_id = ?', [
        runId,
        processId,
      ]);
      if (!row) return undefined;
      const job = await core.jobs.find(Number(row.job_id));
      return job ? { run: toRun(row), job } : undefined;
    },
    /** A process's runs, newest first; with `beforeRunNo` (a page's cursor), those older than that run. */
    async list(processId: string, limit: number, beforeRunNo?: number): Promise<Array<{ run: Run; job: Job }>> {
      const query = table().where({ process_id: processId });
      if (beforeRunNo !== undefined) query.andWhere('run_no', '<', beforeRunNo);
      return withJobs(await query.orderBy('run_no', 'desc').limit(limit));
    },
    /** The workspace's runs, every process's, newest first. */
    async listAll(processIds: readonly string[], limit: number): Promise<Array<{ run: Run; job: Job }>> {
      return withJobs(
        await table().whereIn('process_id', processIds).orderBy('created_at', 'desc').orderBy('run_id').limit(limit),
      );
    },
    byJob,
  };
};

export type Runs = ReturnType<typeof createRuns>;

/** The legacy (workspace-v1) view of a run. */
export const legacyRunView = (runId: string, job: Job, workspaceId: string) => {
  const { state, result, errorCode } = mapJobState(job);
  return { id: runId, result, state, errorCode, duration: durationOf(job), workspaceId };
};

export const robotRunIdOf = (run: Run, attempt: Pick<JobAttempt, 'number'>): string =>
  derivedId(run.runId, 'robot-run', attempt.number);

/** A robot run (Robocorp's step run): one attempt of the run, with an id of its own. */
export const robotRunView = (run: Run, attempt: JobAttempt) => {
  const { state, result, errorCode } = mapJobState({
    state: attempt.state === 'interrupted' ? 'failed' : attempt.state,
    errorCode: attempt.errorCode,
  });
  const end = attempt.endedAt ?? new Date();
  return {
    id: robotRunIdOf(run, attempt),
    runId: run.runId,
    // A botgate process has one step: the automation.
    stepId: derivedId(run.processId, 'step'),
    runNo: attempt.number,
    state,
    result,
    errorCode,
    duration: attempt.startedAt ? Math.max(0, Math.round((end.getTime() - attempt.startedAt.getTime()) / 1000)) : 0,
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
