import PQueue from 'p-queue';
import type { Automation } from '../catalog/automation.js';
import type { Job } from '../jobs/job.js';
import { runJob, type RunJobDeps } from '../jobs/run-job.js';
import { claimJobs, queuedAutomations, unknownQueuedAutomations } from '../queue/claim-jobs.js';
import type { Database } from '../queue/database.js';
import { cancelRequested, heartbeat } from '../queue/heartbeat.js';
import { failQueuedJobs } from '../queue/job-queries.js';
import { listenForJobs } from '../queue/job-notifications.js';
import type { Logger } from '../logger.js';
import type { AbortReason } from '../runners/runner.js';

export interface DispatcherOptions {
  db: Database;
  nodeId: string;
  findAutomation: (id: string) => Automation | undefined;
  automationIds: () => string[];
  runners: RunJobDeps['runners'];
  finish: RunJobDeps['finish'];
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

interface Running {
  controller: AbortController;
  done: Promise<void>;
}

/**
 * Claims queued jobs whenever this node has room and runs them through p-queue: one queue per
 * automation (its `concurrency`) inside one global queue. Claims never exceed free slots, so the
 * queues only enforce the limits and never hold a claimed job waiting.
 */
export const createDispatcher = (options: DispatcherOptions) => {
  const { db, nodeId, logger } = options;
  const global = new PQueue({ concurrency: options.concurrency });
  const perAutomation = new Map<string, PQueue>();
  const running = new Map<number, Running>();
  let onlyJobIds: Set<number> | undefined;
  let started = false;
  let stopping = false;
  let filling: Promise<void> | undefined;
  let fillAgain = false;
  const timers: NodeJS.Timeout[] = [];
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
    const done = queueOf(automation)
      .add(() => global.add(() => runJob({ nodeId, finish: options.finish, runners: options.runners }, job, automation, controller.signal)))
      .then((finished) => {
        if (finished) options.onFinished(finished);
        else logger.warn({ jobId: job.id }, 'job was taken over by another node before it finished here; its result is dropped');
      })
      .catch((error: unknown) => logger.error({ err: error, jobId: job.id }, 'recording a job result failed'))
      .finally(() => {
        running.delete(job.id);
        wake();
      });
    running.set(job.id, { controller, done });
  };

  const fill = async (): Promise<void> => {
    if (options.concurrency - busy(global) <= 0) return;
    const withRoom = options.automationIds().filter((id) => {
      const automation = options.findAutomation(id);
      return automation !== undefined && busy(queueOf(automation)) < automation.concurrency;
    });
    for (const automationId of await queuedAutomations(db, withRoom)) {
      if (stopping) return;
      const automation = options.findAutomation(automationId) as Automation;
      const globalFree = options.concurrency - busy(global);
      if (globalFree <= 0) return;
      const limit = Math.min(globalFree, automation.concurrency - busy(queueOf(automation)));
      if (limit <= 0) continue;
      const ids = onlyJobIds ? [...onlyJobIds] : [undefined];
      for (const onlyJobId of ids) {
        const claimed = await claimJobs(db, { automationId, limit, concurrency: automation.concurrency, nodeId, leaseMs: options.leaseMs, onlyJobId });
        for (const job of claimed) {
          onlyJobIds?.delete(job.id);
          start(job, automation);
        }
      }
    }
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

  const abort = (jobId: number, reason: AbortReason): boolean => {
    const job = running.get(jobId);
    if (!job) return false;
    job.controller.abort(reason);
    return true;
  };

  const applyCancels = (ids: number[]) => ids.forEach((id) => abort(id, 'canceled'));

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
      // CLI or another node, and cancels requested elsewhere.
      timers.push(
        setInterval(() => {
          wake();
          if (running.size > 0) cancelRequested(db, nodeId).then(applyCancels, (error: unknown) => logger.warn({ err: error }, 'cancel check failed'));
        }, options.pollMs),
        setInterval(() => {
          if (running.size > 0) heartbeat(db, nodeId, options.leaseMs).then(applyCancels, (error: unknown) => logger.error({ err: error }, 'lease renewal failed'));
        }, Math.max(100, Math.floor(options.leaseMs / 3))),
      );
      notifications = listenForJobs(db, () => wake(), logger);
      wake();
    },
    wake,
    failOrphans,
    /** Asks this node to stop a running job; false when the job does not run here. */
    abort,
    get runningCount(): number {
      return running.size;
    },
    /**
     * Stops claiming, lets running jobs finish for `graceMs`, then stops the rest, which go back
     * to the queue for the next node or start.
     */
    async stop(graceMs: number): Promise<void> {
      stopping = true;
      timers.forEach(clearInterval);
      await notifications?.close();
      await filling;
      const all = () => Promise.all([...running.values()].map((r) => r.done));
      if (running.size > 0) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([all(), new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
        clearTimeout(timer);
      }
      if (running.size > 0) {
        logger.warn({ jobs: [...running.keys()] }, 'grace period over; stopping running jobs and requeueing them');
        for (const id of running.keys()) abort(id, 'shutdown');
        await all();
      }
    },
  };
};

export type Dispatcher = ReturnType<typeof createDispatcher>;
