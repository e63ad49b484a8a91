import type { Core, JobState } from '@botgate/core';
import type { JobSummary } from './job-summary.js';

interface FeedRow {
  id: number | string;
  automation_id: string;
  adapter: string;
  state: JobState;
  error: string | null;
  attempt: number | string;
  created_at: number | string;
  started_at: number | string | null;
  finished_at: number | string | null;
}

const toSummary = (row: FeedRow): JobSummary => ({
  id: Number(row.id),
  automationId: row.automation_id,
  adapter: row.adapter,
  state: row.state,
  error: row.error,
  attempt: Number(row.attempt),
  createdAt: Number(row.created_at),
  startedAt: row.started_at === null ? null : Number(row.started_at),
  finishedAt: row.finished_at === null ? null : Number(row.finished_at),
});

/**
 * Job changes for the console's live views, from any node: one look per tick, however many
 * browsers watch, and none while nobody does. A tick reads new jobs, running ones and those that
 * ended since the last tick, and hands on only what changed. A job put back in the queue (a
 * retry, a recovered job) shows as running until it starts again or ends.
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
      if (lastId === undefined) {
        const newest = (await core.db('jobs').max({ id: 'id' }).first()) as { id: number | string | null } | undefined;
        lastId = Number(newest?.id ?? 0);
      }
      const columns = ['id', 'automation_id', 'adapter', 'state', 'error', 'attempt', 'created_at', 'started_at', 'finished_at'];
      // Three index seeks, not one OR: new jobs (primary key), running ones (few: at most every
      // node's concurrency), and those that ended since the last tick (with a second of overlap,
      // for a job that ended on another node just before it). Queued jobs can be many and do not
      // change until they start, so they are not read again.
      const [added, running, ended] = (await Promise.all([
        core.db('jobs').select(columns).where('id', '>', lastId).orderBy('id', 'asc').limit(batch),
        core.db('jobs').select(columns).where('state', 'running').limit(batch),
        core.db('jobs').select(columns).where('finished_at', '>=', since - 1000).limit(batch),
      ])) as FeedRow[][];
      const rows = [...(added ?? []), ...(running ?? []), ...(ended ?? [])];
      since = now;
      const changed: JobSummary[] = [];
      for (const row of rows) {
        const summary = toSummary(row);
        const fingerprint = `${summary.state}/${summary.attempt}/${summary.startedAt}/${summary.finishedAt}`;
        if (known.get(summary.id)?.fingerprint !== fingerprint) changed.push(summary);
        // A queued job is told once, as new; it is heard of again when it starts or ends.
        if (summary.state !== 'queued') known.set(summary.id, { fingerprint, finishedAt: summary.finishedAt });
      }
      // Only the new jobs' own query moves the mark: a running or ended job may be newer than
      // new jobs a full batch left for the next tick.
      for (const row of added ?? []) lastId = Math.max(lastId, Number(row.id));
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
