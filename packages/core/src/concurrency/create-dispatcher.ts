import PQueue from 'p-queue';
import type { Automation } from '../catalog/automation.js';
import type { Job } from '../jobs/job.js';
import { runJob, type RunJobDeps } from '../jobs/run-job.js';
import {
  claimJobs,
  claimQueued,
  queuedAutomations,
  unknownQueuedAutomations,
  type ClaimQueuedRequest,
  type ClaimWanted,
} from '../queue/claim-jobs.js';
import type { Database } from '../queue/database.js';
import type { ClaimAlong, JobFinisher } from '../queue/finish-job.js';
import { failQueuedJobs } from '../queue/job-queries.js';
import { listenForJobs } from '../queue/job-notifications.js';
import type { Logger } from '../logger.js';
import type { RunningJobs } from './running-jobs.js';

export interface DispatcherOptions {
  db: Database;
  nodeId: string;
  findAutomation: (id: string) => Automation | undefined;
  automationIds: () => string[];
  runners: RunJobDeps['runners'];
  finish: JobFinisher;
  retryDelay: RunJobDeps['retryDelay'];
  /** Every job this node runs; the dispatcher adds the ones it claims. */
  registry: RunningJobs;
  /** Jobs running at once on this node, all automations together. */
  concurrency: number;
  leaseMs: number;
  pollMs: number;
  logger: Logger;
  onFinished: (job: Job) => void;
}

export interface StartOptions {
  /** Run only these jobs (the CLI's `run --wait` runs its own and leaves the rest to the server). */
  onlyJobIds?: number[];
}

/**
 * Claims queued jobs whenever this node has room and runs them through p-queue: one queue per
 * automation (its `concurrency`) inside one global queue. Claims never exceed free slots (the
 * slots a claim under way asks for are reserved until it answers), so the queues only enforce
 * the limits and never hold a claimed job waiting longer than its predecessor takes to end.
 * Besides its own looks for work, it claims along with the ends of its jobs (`claimAlong`).
 */
export const createDispatcher = (options: DispatcherOptions) => {
  const { db, nodeId, logger } = options;
  const global = new PQueue({ concurrency: options.concurrency });
  const perAutomation = new Map<string, PQueue>();
  const { registry } = options;
  /** The jobs this dispatcher claimed that still run, and their automations. */
  const claimedHere = new Map<number, string>();
  /** Slots asked for by claims under way, all automations and each. */
  let reservedTotal = 0;
  const reserved = new Map<string, number>();
  let onlyJobIds: Set<number> | undefined;
  let started = false;
  let stopping = false;
  let filling: Promise<void> | undefined;
  let fillAgain = false;
  const timers: NodeJS.Timeout[] = [];
  const retryTimers = new Set<NodeJS.Timeout>();
  let notifications: { close(): Promise<void> } | undefined;

  const queueOf = (automation: Automation): PQueue => {
    let queue = perAutomation.get(automation.id);
    if (!queue) {
      queue = new PQueue({ concurrency: automation.concurrency });
      perAutomation.set(automation.id, queue);
    }
    return queue;
  };

  const busy = (queue: PQueue): number => queue.size + queue.pending;

  const start = (job: Job, automation: Automation): void => {
    const controller = new AbortController();
    let slotFreed = false;
    const freeSlot = (): void => {
      if (slotFreed) return;
      slotFreed = true;
      claimedHere.delete(job.id);
      wake();
    };
    // The slot is free once the job's end is written: the next job need not wait for the disk
    // flush (SQLite), which only those who hear of the end wait for.
    const done = queueOf(automation)
      .add(() =>
        global.add(() =>
          runJob(
            { nodeId, finish: options.finish.written, runners: options.runners, retryDelay: options.retryDelay },
            job,
            automation,
            controller.signal,
          ),
        ),
      )
      .then(async (finished) => {
        freeSlot();
        if (finished?.runAfter) wakeIn(finished.runAfter.getTime() - Date.now());
        await options.finish.flushed();
        if (finished) options.onFinished(finished);
        else
          logger.warn(
            { jobId: job.id },
            'job was taken over by another node before it finished here; its result is dropped',
          );
      })
      .catch((error: unknown) => logger.error({ err: error, jobId: job.id }, 'recording a job result failed'))
      .finally(freeSlot);
    claimedHere.set(job.id, job.automationId);
    registry.add(job.id, controller, done);
  };

  /**
   * The slots free for a claim now, all automations and each, counting `freed` (jobs whose
   * ends are being written) as free and the slots of claims under way as taken.
   */
  const freeSlots = (
    freed: ReadonlyMap<string, number> = new Map(),
  ): Omit<ClaimQueuedRequest, 'nodeId' | 'leaseMs'> => {
    let free = options.concurrency - busy(global) - reservedTotal;
    for (const count of freed.values()) free += count;
    const automations: ClaimWanted[] = [];
    if (free <= 0) return { free, automations };
    for (const automationId of options.automationIds()) {
      const automation = options.findAutomation(automationId);
      if (!automation) continue;
      const room =
        automation.concurrency -
        busy(queueOf(automation)) -
        (reserved.get(automationId) ?? 0) +
        (freed.get(automationId) ?? 0);
      const limit = Math.min(free, room);
      if (limit > 0) automations.push({ automationId, limit, concurrency: automation.concurrency });
    }
    return { free, automations };
  };

  const reserve = (request: ClaimQueuedRequest, sign: 1 | -1): void => {
    reservedTotal += sign * request.free;
    for (const { automationId, limit } of request.automations)
      reserved.set(automationId, (reserved.get(automationId) ?? 0) + sign * limit);
  };

  const startClaimed = (jobs: readonly Job[]): void => {
    for (const job of jobs) start(job, options.findAutomation(job.automationId) as Automation);
  };

  const fill = async (): Promise<void> => {
    const { free, automations } = freeSlots();
    if (free <= 0) return;
    if (onlyJobIds) return fillOnly(automations);
    if (automations.length === 0) return;
    const request = { free, automations, nodeId, leaseMs: options.leaseMs };
    reserve(request, 1);
    let claimed: Job[] = [];
    try {
      claimed = await claimQueued(db, request);
    } finally {
      reserve(request, -1);
      startClaimed(claimed);
    }
  };

  /**
   * Claims along with a batch of its own jobs' ends, one round trip for both (PostgreSQL): a
   * busy node starts its next jobs without waiting for a look for work after every end.
   */
  const claimAlong: ClaimAlong = {
    plan(finishes) {
      if (!started || stopping || onlyJobIds) return undefined;
      const freed = new Map<string, number>();
      for (const { id } of finishes) {
        const automationId = claimedHere.get(id);
        if (automationId !== undefined) freed.set(automationId, (freed.get(automationId) ?? 0) + 1);
      }
      if (freed.size === 0) return undefined;
      const { free, automations } = freeSlots(freed);
      if (free <= 0 || automations.length === 0) return undefined;
      const request = { free, automations, nodeId, leaseMs: options.leaseMs };
      reserve(request, 1);
      return request;
    },
    claimed(jobs, request) {
      reserve(request, -1);
      startClaimed(jobs);
    },
  };

  /** The CLI's `run --wait`: its own jobs, one claim each. */
  const fillOnly = async (wanted: readonly ClaimWanted[]): Promise<void> => {
    for (const automationId of await queuedAutomations(
      db,
      wanted.map((w) => w.automationId),
    )) {
      const want = wanted.find((w) => w.automationId === automationId) as ClaimWanted;
      const automation = options.findAutomation(automationId) as Automation;
      for (const onlyJobId of onlyJobIds ?? []) {
        if (stopping) return;
        const limit = Math.min(options.concurrency - busy(global), want.concurrency - busy(queueOf(automation)));
        if (limit <= 0) break;
        const claimed = await claimJobs(db, { ...want, limit, nodeId, leaseMs: options.leaseMs, onlyJobId });
        for (const job of claimed) {
          onlyJobIds?.delete(job.id);
          start(job, automation);
        }
      }
    }
  };

  /** Looks again in `delayMs` (a retry this node requeued with a backoff). */
  const wakeIn = (delayMs: number): void => {
    if (!started || stopping) return;
    const timer = setTimeout(
      () => {
        retryTimers.delete(timer);
        wake();
      },
      Math.max(0, delayMs),
    );
    retryTimers.add(timer);
  };

  /** Looks for work now; calls while a look is under way fold into one more look after it. */
  const wake = (): void => {
    if (!started || stopping) return;
    if (filling) {
      fillAgain = true;
      return;
    }
    filling = (async () => {
      do {
        fillAgain = false;
        try {
          await fill();
        } catch (error) {
          logger.error({ err: error }, 'claiming jobs failed; retrying at the next poll');
        }
      } while (fillAgain && !stopping);
    })().finally(() => {
      filling = undefined;
    });
  };

  /** Queued jobs of automations that left the catalog would wait forever; they fail instead. */
  const failOrphans = async (): Promise<void> => {
    for (const automationId of await unknownQueuedAutomations(db, options.automationIds())) {
      const count = await failQueuedJobs(db, automationId, `automation "${automationId}" is no longer in the catalog`);
      if (count > 0) logger.warn({ automationId, count }, 'failed queued jobs of an automation that left the catalog');
    }
  };

  return {
    start(startOptions: StartOptions = {}): void {
      if (started) return;
      started = true;
      if (startOptions.onlyJobIds) onlyJobIds = new Set(startOptions.onlyJobIds);
      // Polling is the fallback for work this process does not hear about: jobs queued by the
      // CLI or another node, and retries whose backoff has passed.
      timers.push(setInterval(() => wake(), options.pollMs));
      notifications = listenForJobs(db, () => wake(), logger);
      wake();
    },
    wake,
    failOrphans,
    claimAlong,
    /** Jobs this dispatcher claimed that still run. */
    get runningCount(): number {
      return claimedHere.size;
    },
    /**
     * Stops claiming. The jobs it runs are drained by the registry (core's close): those still
     * running past the grace period go back to the queue for the next node or start.
     */
    async stop(): Promise<void> {
      stopping = true;
      timers.forEach(clearInterval);
      retryTimers.forEach(clearTimeout);
      await notifications?.close();
      await filling;
    },
  };
};

export type Dispatcher = ReturnType<typeof createDispatcher>;
