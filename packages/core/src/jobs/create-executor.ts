import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Catalog } from '../catalog/create-catalog.js';
import type { RunningJobs } from '../concurrency/running-jobs.js';
import { BotgateError } from '../errors.js';
import type { HeldStamp } from '../queue/change-stamps.js';
import type { Database } from '../queue/database.js';
import type { JobFinisher, JobOutcome } from '../queue/finish-job.js';
import { createJobInserter, insertJob, type JobRecord } from '../queue/insert-jobs.js';
import type { Runner } from '../runners/runner.js';
import { validateInputs, valuesToPlain, type Values } from '../variables/index.js';
import type { Job } from './job.js';
import { outcomeOf, runnerFailure } from './run-job.js';

const notRun = {
  outputs: {},
  outputFiles: [],
  outputWorkItems: [],
  exitCode: null,
  error: 'interrupted',
  errorCode: 'INTERRUPTED' as const,
  log: '',
};

export interface ExecuteRequest {
  automationId: string;
  adapter: string;
  inputs: Values;
  /** The caller's limit; the run ends `timed_out` past it (or past the automation's own timeout, if shorter). */
  timeoutMs: number;
  /**
   * The stamp of the records the caller decided on (`StampedCache.peek`): the run is written, and
   * starts, only if it still stands once the run's row holds the write lock; else STALE_READ.
   */
  held?: HeldStamp | undefined;
}

/** A real-time run's job, ended and written. */
export type ExecutedJob = Job;

export interface ExecutorDeps {
  db: Database;
  catalog: Catalog;
  nodeId: string;
  dataDir: string;
  leaseMs: number;
  runners: { module: Runner; command: Runner };
  registry: RunningJobs;
  finish: JobFinisher;
  isAccepting: () => boolean;
  notifyFinished: (job: Job) => void;
}

/**
 * Runs a job now, outside the queue, for callers that wait for the answer (Automation Anywhere's
 * real-time endpoint). It is a job like any other while it runs: written `running` under this
 * node's lease before it starts, renewed by the heartbeat, cancelable, stopped by shutdown,
 * recovered by another node if this one dies. Its end is written before the caller is answered;
 * the disk flush of that write follows behind the answer (decision 0009).
 */
export const createExecutor = (deps: ExecutorDeps) => {
  const insertTogether = createJobInserter(deps.db);
  // Runs under way on this node: alone, a run's start is written at once; among others, it
  // waits for the end of this turn of the event loop to share their commit.
  let running = 0;
  const executeNow = async (request: ExecuteRequest): Promise<ExecutedJob> => {
    if (!deps.isAccepting()) throw new BotgateError('SHUTTING_DOWN', 'botgate is shutting down and takes no new jobs');
    const automation = deps.catalog.get(request.automationId);
    const inputs = validateInputs(automation.inputs, request.inputs);
    const timeoutMs = Math.min(request.timeoutMs, automation.timeoutMs);
    const now = new Date();
    const write = async () => {
      const record: JobRecord = {
        automationId: automation.id,
        adapter: request.adapter,
        state: 'running',
        inputs,
        inputFiles: [],
        outputs: {},
        outputFiles: [],
        outputWorkItems: [],
        exitCode: null,
        error: null,
        errorCode: null,
        log: '',
        workDir: join(deps.dataDir, 'jobs', randomUUID()),
        attempt: 1,
        // A real-time run is never retried: its caller is gone by then.
        maxAttempts: 1,
        idempotencyKey: null,
        metadata: {},
        workItem: null,
        workItems: null,
        createdAt: now,
        startedAt: now,
        runAfter: null,
        finishedAt: null,
        leaseOwner: deps.nodeId,
        leaseExpiresAt: now.getTime() + deps.leaseMs,
        held: request.held,
      };
      const written = await (running > 1 ? insertTogether(record) : insertJob(deps.db, record));
      // Accepted while this node began to close: the row is written, but nothing may start now.
      if (!deps.isAccepting()) {
        await deps.finish.written({ id: written.id, nodeId: deps.nodeId, outcome: { ...notRun, state: 'failed' } });
        throw new BotgateError('SHUTTING_DOWN', 'botgate is shutting down and takes no new jobs');
      }
      return written;
    };
    // Shutdown waits for it: it must not close the database under the insert.
    const job = await deps.registry.starting(write());
    const plain = valuesToPlain(inputs);
    const controller = new AbortController();
    const done = (async () => {
      const result = await deps.runners[automation.run.kind]
        .run({
          jobId: job.id,
          automation,
          inputs: plain,
          inputFiles: [],
          workItems: [{ payload: plain, files: {} }],
          workDir: job.workDir,
          signal: controller.signal,
          timeoutMs,
        })
        .catch(runnerFailure);
      const outcome = outcomeOf(job, automation, result);
      // Its caller waits now: a run stopped by shutdown fails rather than waiting in the queue.
      const final: JobOutcome =
        outcome.state === 'queued' ? { ...outcome, state: 'failed', refundAttempt: false } : outcome;
      const finished = await deps.finish.written({ id: job.id, nodeId: deps.nodeId, outcome: final });
      if (!finished) {
        throw new BotgateError(
          'JOB_LOST',
          `job ${job.id} was taken over by another node (this node did not renew its lease in time); its result is dropped`,
          { jobId: job.id },
        );
      }
      deps.notifyFinished(finished);
      return finished;
    })();
    deps.registry.add(job.id, controller, done);
    return done;
  };
  return {
    async execute(request: ExecuteRequest): Promise<ExecutedJob> {
      running += 1;
      try {
        return await executeNow(request);
      } finally {
        running -= 1;
      }
    },
  };
};
