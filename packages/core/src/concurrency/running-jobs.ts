import type { Database } from '../queue/database.js';
import { cancelRequested, heartbeat } from '../queue/heartbeat.js';
import type { Logger } from '../logger.js';
import type { AbortReason } from '../runners/runner.js';

export interface RunningJobsOptions {
  db: Database;
  nodeId: string;
  leaseMs: number;
  /** How often cancels requested elsewhere (another node, the CLI) are looked for. */
  pollMs: number;
  logger: Logger;
}

interface Entry {
  controller: AbortController;
  done: Promise<unknown>;
}

/**
 * Every job this node runs, queued and real-time alike: one registry serves the heartbeat (the
 * leases of exactly these jobs are renewed), cancel (a running job is aborted here, whoever
 * asked), shutdown (they are drained, then stopped) and recovery (a job not renewed is another
 * node's to recover). Its timers start with the first job and last until `drain`: starting and
 * stopping them around every real-time run cost more than their idle ticks, which touch no
 * database while nothing runs.
 */
export const createRunningJobs = (options: RunningJobsOptions) => {
  const { db, nodeId, logger } = options;
  const running = new Map<number, Entry>();
  // Real-time runs between their acceptance and their row: drained like running ones.
  const starting = new Set<Promise<unknown>>();
  let timers: NodeJS.Timeout[] = [];

  const abort = (jobId: number, reason: AbortReason): boolean => {
    const entry = running.get(jobId);
    if (!entry) return false;
    entry.controller.abort(reason);
    return true;
  };
  const applyCancels = (ids: number[]) => ids.forEach((id) => abort(id, 'canceled'));

  const startTimers = () => {
    if (timers.length > 0) return;
    timers = [
      setInterval(
        () => {
          heartbeat(db, nodeId, [...running.keys()], options.leaseMs).then(
            ({ cancel, lost }) => {
              applyCancels(cancel);
              // Still listed here after the renewal: taken over elsewhere, it must not run twice.
              for (const id of lost.filter((id) => running.has(id))) {
                logger.warn({ jobId: id }, 'another node took over a job this node still ran; stopping it here');
                abort(id, 'lost');
              }
            },
            (error: unknown) => logger.error({ err: error }, 'lease renewal failed'),
          );
        },
        Math.max(100, Math.floor(options.leaseMs / 3)),
      ),
      setInterval(() => {
        cancelRequested(db, nodeId, [...running.keys()]).then(applyCancels, (error: unknown) =>
          logger.warn({ err: error }, 'cancel check failed'),
        );
      }, options.pollMs),
    ];
    // They never keep a process alive by themselves: whatever runs a job does.
    timers.forEach((timer) => timer.unref());
  };
  const stopTimers = () => {
    timers.forEach(clearInterval);
    timers = [];
  };

  const all = async () => {
    await Promise.all([...starting].map((start) => start.catch(() => undefined)));
    await Promise.all([...running.values()].map((entry) => entry.done.catch(() => undefined)));
  };

  return {
    /**
     * Registers a job that runs from now on; it leaves the registry when `done` settles. The
     * controller is aborted with an `AbortReason` to stop it.
     */
    add(jobId: number, controller: AbortController, done: Promise<unknown>): void {
      if (running.has(jobId)) throw new Error(`job ${jobId} already runs on this node`);
      running.set(jobId, { controller, done });
      startTimers();
      void done
        .catch(() => undefined)
        .finally(() => {
          if (running.get(jobId)?.done === done) running.delete(jobId);
        });
    },
    /** Holds shutdown until `start` (a run being written as it starts) has settled. */
    starting<T>(start: Promise<T>): Promise<T> {
      starting.add(start);
      void start.catch(() => undefined).finally(() => starting.delete(start));
      return start;
    },
    /** Stops a job this node runs; false when it does not run here. */
    abort,
    has: (jobId: number): boolean => running.has(jobId),
    get size(): number {
      return running.size;
    },
    /** Lets running jobs finish for `graceMs`, then stops the rest (`shutdown`) and waits for them. */
    async drain(graceMs: number): Promise<void> {
      if (running.size > 0 || starting.size > 0) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([all(), new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
        clearTimeout(timer);
      }
      await Promise.all([...starting].map((start) => start.catch(() => undefined)));
      if (running.size > 0) {
        logger.warn({ jobs: [...running.keys()] }, 'grace period over; stopping running jobs');
        for (const id of running.keys()) abort(id, 'shutdown');
        await all();
      }
      stopTimers();
    },
  };
};

export type RunningJobs = ReturnType<typeof createRunningJobs>;
