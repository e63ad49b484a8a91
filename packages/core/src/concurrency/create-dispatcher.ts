import PQueue from 'p-queue';
import type { Automation } from '../catalog/automation.js';
import type { Job } from '../jobs/job.js';
import { runJob, type RunJobDeps } from '../jobs/run-job.js';
import {
  claimJobs,
  claimQueued,
  queuedAutomations,
  unknownQueuedAutomations,
  type ClaimWanted,
} from '../queue/claim-jobs.js';
import type { Database } from '../queue/database.js';
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
  finish: RunJobDeps['finish'];
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
 * automation (its `concurrency`) inside one global queue. Claims never exceed free slots, so the
 * queues only enforce the limits and never hold a claimed job waiting.
 */
export const createDispatcher = (options: DispatcherOptions) => {
  const { db, nodeId, logger } = options;
  const global = new PQueue({ concurrency: options.concurrency });
  const perAutomation = new Map<string, PQueue>();
  const { registry } = options;
  const claimedHere = new Set<number>();
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
    const done = queueOf(automation)
      .add(() =>
        global.add(() =>
          runJob(
            { nodeId, finish: options.finish, runners: options.runners, retryDelay: options.retryDelay },
            job,
            automation,
            controller.signal,
          ),
        ),
      )
      .then((finished) => {
        if (finished?.runAfter) wakeIn(finished.runAfter.getTime() - Date.now());
        if (finished) options.onFinished(finished);
        else
          logger.warn(
            { jobId: job.id },
            'job was taken over by another node before it finished here; its result is dropped',
          );
      })
      .catch((error: unknown) => logger.error({ err: error, jobId: job.id }, 'recording a job result failed'))
      .finally(() => {
        claimedHere.delete(job.id);
        wake();
      });
    claimedHere.add(job.id);
    registry.add(job.id, controller, done);
  };

  const fill = async (): Promise<void> => {
    const free = options.concurrency - busy(global);
    if (free <= 0) return;
    const wanted: ClaimWanted[] = [];
    for (const automationId of options.automationIds()) {
      const automation = options.findAutomation(automationId);
      if (!automation) continue;
      const limit = Math.min(free, automation.concurrency - busy(queueOf(automation)));
      if (limit > 0) wanted.push({ automationId, limit, concurrency: automation.concurrency });
    }
    if (onlyJobIds) return fillOnly(wanted);
    for (const job of await claimQueued(db, { automations: wanted, free, nodeId, leaseMs: options.leaseMs })) {
      start(job, options.findAutomation(job.automationId) as Automation);
    }
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
