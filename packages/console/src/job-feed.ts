import type { Core } from '@botgate/core';
import { summaryOf, type JobSummary } from './job-summary.js';

/**
 * Job changes for the console's live views, from any node: one look per tick (core's
 * `jobs.changes`), however many browsers watch, and none while nobody does. A tick reads new
 * jobs, running ones and those that ended since the last tick, and hands on only what changed.
 * A job put back in the queue (a retry, a recovered job) shows as running until it starts again
 * or ends.
 */
export const createJobFeed = (core: Core, pollMs: number, batch = 1000) => {
  const listeners = new Set<(changed: JobSummary[]) => void>();
  const known = new Map<number, { fingerprint: string; finishedAt: number | null }>();
  let lastId: number | undefined;
  let since = Date.now();
  let timer: NodeJS.Timeout | undefined;
  let ticking = false;

  const tick = async () => {
    if (ticking) return;
    ticking = true;
    try {
      const now = Date.now();
      lastId ??= await core.jobs.newestId();
      // A second of overlap: a job that ended on another node just before the last tick.
      const { added, running, ended } = await core.jobs.changes({
        afterId: lastId,
        endedSince: since - 1000,
        limit: batch,
      });
      const rows = [...added, ...running, ...ended].map(summaryOf);
      since = now;
      const changed: JobSummary[] = [];
      for (const summary of rows) {
        const fingerprint = `${summary.state}/${summary.attempt}/${summary.startedAt}/${summary.finishedAt}`;
        if (known.get(summary.id)?.fingerprint !== fingerprint) changed.push(summary);
        // A queued job is told once, as new; it is heard of again when it starts or ends.
        if (summary.state !== 'queued') known.set(summary.id, { fingerprint, finishedAt: summary.finishedAt });
      }
      // Only the new jobs' own query moves the mark: a running or ended job may be newer than
      // new jobs a full batch left for the next tick.
      for (const job of added) lastId = Math.max(lastId, job.id);
      // Ended jobs are remembered only as long as the overlap can show them again.
      for (const [id, entry] of known) if (entry.finishedAt !== null && entry.finishedAt < now - 5000) known.delete(id);
      if (changed.length > 0) for (const listener of listeners) listener(changed);
    } catch {
      // The database is away for a moment; the next tick tries again.
    } finally {
      ticking = false;
    }
  };

  return {
    subscribe(listener: (changed: JobSummary[]) => void): () => void {
      listeners.add(listener);
      if (timer === undefined) {
        since = Date.now();
        timer = setInterval(() => void tick(), pollMs);
        // The mark is taken now: every job created from here on is told.
        void tick();
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && timer !== undefined) {
          clearInterval(timer);
          timer = undefined;
          lastId = undefined;
          known.clear();
        }
      };
    },
    close(): void {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
      listeners.clear();
    },
  };
};

export type JobFeed = ReturnType<typeof createJobFeed>;
