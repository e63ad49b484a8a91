import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Catalog } from '../catalog/create-catalog.js';
import { BotgateError } from '../errors.js';
import type { Database } from '../queue/database.js';
import { confirmHeld, type HeldStamp } from '../queue/change-stamps.js';
import { sql } from '../queue/sql.js';
import { createJobEnqueuer, type NewJob } from '../queue/enqueue-job.js';
import {
  countJobs,
  type JobCountFilter,
  getJob,
  listEndedJobs,
  listJobs,
  requestCancel,
  type EndedCursor,
  type JobFilter,
} from '../queue/job-queries.js';
import type { JoinableStore, StoreTransaction } from '../store/adapter-store.js';
import { validateInputs, valuesFromPlain, type JsonValue, type Values } from '../variables/index.js';
import type { Job, JobFile } from './job.js';
import type { JobEvents } from './job-events.js';
import { isFinal } from './job-state.js';
import { stageInputFiles, type InputFile } from './stage-input-files.js';
import { jobActivity, listJobChanges, newestJobId } from '../queue/job-changes.js';
import { listAttempts, withCurrentAttempt } from '../queue/job-attempts.js';
import type { JobAttempt } from './job.js';

export interface EnqueueRequest {
  automationId: string;
  /** Who creates the job: an adapter's name, or `cli`. */
  adapter: string;
  /** Typed inputs (Automation Anywhere), or… */
  inputs?: Values;
  /** …plain JSON inputs (work items, form fields), read by the declared input types. */
  plainInputs?: Record<string, unknown>;
  /** Keep inputs the manifest does not declare. @default false */
  allowUnknownInputs?: boolean;
  files?: readonly InputFile[];
  /** Repeats within the window answer the first job and queue nothing. */
  idempotencyKey?: string | undefined;
  metadata?: Record<string, unknown>;
  /** A work item payload kept verbatim for the robot (Robocorp); declared inputs still come from `plainInputs`. */
  workItem?: JsonValue | undefined;
  /**
   * Several input work items instead (a Robocorp run over work items made beforehand), each with
   * its own files: all of them become the job's input files, and each item names its own by the
   * name it was given, whatever name the job's folder gave it.
   */
  workItems?: ReadonlyArray<{ payload: JsonValue; files?: readonly InputFile[] }> | undefined;
  /**
   * The stamp of the records the caller decided on (`StampedCache.peek`): the job commits only if
   * it still stands at the commit, else the enqueue fails with STALE_READ and nothing is kept.
   */
  held?: HeldStamp | undefined;
}

/** A job and the adapter's own record of it (a run, a number the caller is answered with). */
export interface RecordedEnqueueRequest<Record> extends EnqueueRequest {
  /**
   * Writes the adapter's record of the new job in the job's transaction (on the store of the
   * request's `adapter`): an answered record always resolves.
   */
  record(tx: StoreTransaction, job: Job): Promise<Record>;
  /** The record the first trigger wrote, for an idempotent repeat; undefined when that job is not the adapter's. */
  recordOf(job: Job): Promise<Record | undefined>;
}

export interface JobServiceDeps {
  db: Database;
  catalog: Catalog;
  dataDir: string;
  jsonDepth: number;
  idempotencyWindowMs: number;
  pollMs: number;
  /** Told of each job committed to the queue; it tells of each ended job. */
  events: JobEvents;
  isAccepting: () => boolean;
  /** Asks this node to stop a job it runs; false when it does not run here. */
  abortLocal: (jobId: number) => boolean;
  /** The store of an adapter, whose records join the job's transaction. */
  storeOf: (adapter: string) => JoinableStore;
}

export const createJobService = (deps: JobServiceDeps) => {
  const { db, catalog } = deps;
  const { events } = deps;
  // The dispatcher hears of new jobs at their commit, not once they are on disk (see createJobEnqueuer).
  const commitJob = createJobEnqueuer(db, () => events.enqueued());
  const waiting = new Map<number, Set<() => void>>();
  events.onFinished((job) => {
    if (isFinal(job.state)) for (const done of [...(waiting.get(job.id) ?? [])]) done();
  });

  const get = async (id: number): Promise<Job> => {
    const job = await getJob(db, id);
    if (!job) throw new BotgateError('JOB_NOT_FOUND', `job ${id} does not exist`, { jobId: id });
    return job;
  };

  /** `inTransaction`, after the check that `held` still stands, on the write lock the job's insert took. */
  const confirmed =
    (held: HeldStamp, inTransaction: NewJob['inTransaction']): NewJob['inTransaction'] =>
    async (tx, job) => {
      await confirmHeld((text, bindings) => sql(tx, text, bindings), held, tx);
      await inTransaction?.(tx, job);
    };

  /** Adapter rows to commit with the job: see `NewJob.inTransaction`. */
  const enqueueWith = async (
    request: EnqueueRequest,
    inTransaction?: NewJob['inTransaction'],
  ): Promise<{ job: Job; created: boolean }> => {
    if (!deps.isAccepting()) throw new BotgateError('SHUTTING_DOWN', 'botgate is shutting down and takes no new jobs');
    const automation = catalog.get(request.automationId);
    const given = request.plainInputs
      ? valuesFromPlain(automation.inputs, request.plainInputs, deps.jsonDepth)
      : (request.inputs ?? {});
    const inputs = validateInputs(automation.inputs, given, { allowUnknown: request.allowUnknownInputs ?? false });
    const workDir = join(deps.dataDir, 'jobs', randomUUID());
    const itemFiles = request.workItems?.map((item) => item.files ?? []) ?? [];
    const files = [...(request.files ?? []), ...itemFiles.flat()];
    try {
      const inputFiles = files.length > 0 ? await stageInputFiles(workDir, files) : [];
      // Staged in order: an item's files are the next ones after the request's own and the items' before it.
      let next = request.files?.length ?? 0;
      const workItems = request.workItems?.map((item, index) => ({
        payload: item.payload,
        files: Object.fromEntries(
          (itemFiles[index] ?? []).map((file) => [file.name, (inputFiles[next++] as JobFile).name]),
        ),
      }));
      const result = await commitJob({
        automationId: automation.id,
        adapter: request.adapter,
        inputs,
        inputFiles,
        workDir,
        maxAttempts: automation.retries + 1,
        idempotencyKey: request.idempotencyKey,
        idempotencyWindowMs: deps.idempotencyWindowMs,
        metadata: request.metadata,
        workItem: workItems ? workItems[0]?.payload : request.workItem,
        workItems,
        inTransaction: request.held ? confirmed(request.held, inTransaction) : inTransaction,
      });
      if (!result.created) await rm(workDir, { recursive: true, force: true });
      return result;
    } catch (error) {
      await rm(workDir, { recursive: true, force: true });
      throw error;
    }
  };

  const service = {
    /**
     * Validates, stages the files, and commits a queued job; when this returns, the job is durable.
     * Concurrent calls share one commit (group commit).
     * @throws VariableError naming the variable, BotgateError AUTOMATION_NOT_FOUND or SHUTTING_DOWN
     */
    enqueue: (request: EnqueueRequest): Promise<{ job: Job; created: boolean }> => enqueueWith(request),

    /**
     * `enqueue`, with the adapter's record of the job written in its transaction; a repeat of an
     * idempotency key answers the record of the key's first job instead.
     */
    async enqueueRecorded<Record>(
      request: RecordedEnqueueRequest<Record>,
    ): Promise<{ job: Job; created: boolean; record: Record | undefined }> {
      // No rest or spread: on Node 20 each is a runtime call per property (docs/performance.md);
      // enqueueWith reads the request's own fields only.
      const store = deps.storeOf(request.adapter);
      let written: { record: Record } | undefined;
      const result = await enqueueWith(request, async (tx, job) => {
        written = { record: await request.record(store.joined(tx), job) };
      });
      return {
        job: result.job,
        created: result.created,
        // A record written by an attempt of the batch that rolled back is not the answer when the
        // job, retried alone, turned out to repeat an idempotency key.
        record: result.created && written ? written.record : await request.recordOf(result.job),
      };
    },

    get,
    find: (id: number) => getJob(db, id),
    /** Ids and ends of the jobs of `adapter` that ended at or after `since`, earliest end first; `after` continues from a page's last one. */
    ended: (filter: { adapter: string; since: number; after?: EndedCursor | undefined; limit: number }) =>
      listEndedJobs(db, filter),
    /** Every run of a job, first to last: its ended attempts, and the one under way while it runs. */
    async attempts(job: Job): Promise<JobAttempt[]> {
      return withCurrentAttempt(job, job.attempt === 0 ? [] : await listAttempts(db, job.id));
    },
    list: (filter?: JobFilter) => listJobs(db, filter),
    counts: (filter?: JobCountFilter) => countJobs(db, filter),
    /** For watchers polling a list: see `listJobChanges`. */
    changes: (since: { afterId: number; endedSince: number; limit: number }) => listJobChanges(db, since),
    newestId: () => newestJobId(db),
    /** Per minute since `from`: jobs ended, failed, average run time and wait. */
    activity: (from: number) => jobActivity(db, from),

    /**
     * Queues the same automation again with a job's inputs, input files and work item: a new job,
     * created by `adapter`; the first one is left as it is.
     * @throws BotgateError JOB_NOT_FOUND, AUTOMATION_NOT_FOUND
     */
    async rerun(id: number, adapter: string): Promise<Job> {
      const job = await get(id);
      const { job: again } = await service.enqueue({
        automationId: job.automationId,
        adapter,
        inputs: job.inputs,
        allowUnknownInputs: true,
        ...(job.workItems === null
          ? {
              files: job.inputFiles.map((file) => ({
                name: file.name,
                path: join(job.workDir, ...file.name.split('/')),
              })),
              ...(job.workItem === null ? {} : { workItem: job.workItem }),
            }
          : {
              workItems: job.workItems.map((item) => ({
                payload: item.payload,
                files: Object.entries(item.files).map(([name, file]) => ({
                  name,
                  path: join(job.workDir, ...file.split('/')),
                })),
              })),
            }),
        metadata: { rerunOf: job.id },
      });
      return again;
    },

    /** @throws BotgateError JOB_NOT_FOUND, NOT_CANCELABLE */
    async cancel(id: number): Promise<Job> {
      const job = await requestCancel(db, id);
      if (job.state === 'running') deps.abortLocal(id);
      // A queued job ends here, with no run to tell of it.
      else events.finished(job);
      return job;
    },

    /**
     * Resolves with the job once it is final, or as it is when `timeoutMs` runs out. Jobs of this
     * node are heard at once; jobs of other processes are polled.
     */
    async wait(id: number, options: { timeoutMs?: number } = {}): Promise<Job> {
      let job = await get(id);
      const deadline = Date.now() + (options.timeoutMs ?? Number.POSITIVE_INFINITY);
      while (!isFinal(job.state) && Date.now() < deadline) {
        const remaining = Math.min(deps.pollMs, deadline - Date.now());
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => done(), remaining);
          const done = () => {
            clearTimeout(timer);
            waiting.get(id)?.delete(done);
            if (waiting.get(id)?.size === 0) waiting.delete(id);
            resolve();
          };
          // By job id: a listener per waiter on every ended job made many waiters quadratic.
          waiting.set(id, (waiting.get(id) ?? new Set()).add(done));
        });
        job = await get(id);
      }
      return job;
    },

    /** Listens to every job's end, on this node; answers the function that stops listening. */
    onFinished: events.onFinished,
  };
  return service;
};

export type JobService = ReturnType<typeof createJobService>;
