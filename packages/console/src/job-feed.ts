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
 * Job changes for the console's live views, from any node: one query per tick, however many
 * browsers watch, and none while nobody does. A tick reads new jobs, the queued and running ones
 * (indexed), and those that ended since the last tick, and hands on only what changed.
 */
export const createJobFeed = (core: Core, pollMs: number) => {
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
      const rows = (await core
        .db('jobs')
        .select('id', 'automation_id', 'adapter', 'state', 'error', 'attempt', 'created_at', 'started_at', 'finished_at')
        .where('id', '>', lastId)
        .orWhereIn('state', ['queued', 'running'])
        // A second of overlap: a job that ended on another node just before our last tick.
        .orWhere('finished_at', '>=', since - 1000)
        .orderBy('id', 'asc')
        .limit(2000)) as FeedRow[];
      since = now;
      const changed: JobSummary[] = [];
      for (const row of rows) {
        const summary = toSummary(row);
        const fingerprint = `${summary.state}/${summary.attempt}/${summary.startedAt}/${summary.finishedAt}`;
        if (known.get(summary.id)?.fingerprint !== fingerprint) changed.push(summary);
        known.set(summary.id, { fingerprint, finishedAt: summary.finishedAt });
        lastId = Math.max(lastId, summary.id);
      }
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
      timer ??= setInterval(() => void tick(), pollMs);
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
