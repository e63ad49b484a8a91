import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Catalog } from '../catalog/create-catalog.js';
import { BotgateError } from '../errors.js';
import type { Database } from '../queue/database.js';
import type { Finish } from '../queue/finish-job.js';
import { insertJobs } from '../queue/insert-jobs.js';
import type { Runner } from '../runners/runner.js';
import { validateInputs, valuesToPlain, type Values } from '../variables/index.js';
import type { JobRecorder } from './create-job-recorder.js';
import type { Job } from './job.js';
import { outcomeOf, runnerFailure } from './run-job.js';

export interface ExecuteRequest {
  automationId: string;
  adapter: string;
  inputs: Values;
  /** The caller's limit; the run ends `timed_out` past it (or past the automation's own timeout, if shorter). */
  timeoutMs: number;
}

/** A real-time run's outcome; `recorded` resolves once its job row is written. */
export type ExecutedJob = Omit<Job, 'id' | 'cancelRequested'> & { recorded: Promise<Job> };

export interface ExecutorDeps {
  db: Database;
  catalog: Catalog;
  nodeId: string;
  dataDir: string;
  leaseMs: number;
  runners: { module: Runner; command: Runner };
  recorder: JobRecorder;
  finish: (finish: Finish) => Promise<Job | undefined>;
  isAccepting: () => boolean;
  notifyFinished: (job: Job) => void;
}

/**
 * Runs a job now, outside the queue, for callers that wait for the answer (Automation Anywhere's
 * real-time endpoint). A module run touches the database only after it has answered (the record
 * is written behind); a command run, which starts a process anyway, is written as running first
 * so that it is visible and recoverable while it runs.
 */
export const createExecutor = (deps: ExecutorDeps) => ({
  async execute(request: ExecuteRequest): Promise<ExecutedJob> {
    if (!deps.isAccepting()) throw new BotgateError('SHUTTING_DOWN', 'botgate is shutting down and takes no new jobs');
    const automation = deps.catalog.get(request.automationId);
    const inputs = validateInputs(automation.inputs, request.inputs);
    const timeoutMs = Math.min(request.timeoutMs, automation.timeoutMs);
    const base = {
      automationId: automation.id,
      adapter: request.adapter,
      inputs,
      inputFiles: [],
      workDir: join(deps.dataDir, 'jobs', randomUUID()),
      attempt: 1,
      // A real-time run is never retried: its caller is gone by then.
      maxAttempts: 1,
      idempotencyKey: null,
      metadata: {},
      workItem: null,
      createdAt: new Date(),
      startedAt: new Date(),
    };
    const plain = valuesToPlain(inputs);
    const runner = deps.runners[automation.run.kind];
    const live = automation.run.kind === 'command'
      ? (await insertJobs(deps.db, [{ ...base, state: 'running', outputs: {}, outputFiles: [], outputWorkItems: [], exitCode: null, error: null, errorCode: null, log: '', finishedAt: null, leaseOwner: deps.nodeId, leaseExpiresAt: Date.now() + deps.leaseMs }]))[0]
      : undefined;
    const result = await runner
      .run({ jobId: live?.id, automation, inputs: plain, inputFiles: [], workItem: plain, workDir: base.workDir, signal: new AbortController().signal, timeoutMs })
      .catch(runnerFailure);
    const outcome = outcomeOf(base, automation, result);
    const state = outcome.state === 'queued' ? 'failed' : outcome.state;
    const { refundAttempt: _refund, ...fields } = outcome;
    const finished = { ...base, ...fields, state, finishedAt: new Date() };
    if (live) {
      const recorded = deps.finish({ id: live.id, nodeId: deps.nodeId, outcome: { ...outcome, state } }).then((job) => {
        if (!job) throw new Error(`real-time job ${live.id} was taken over before it ended`);
        deps.notifyFinished(job);
        return job;
      });
      await recorded;
      return { ...finished, recorded };
    }
    return { ...finished, recorded: deps.recorder.record(finished) };
  },
});
