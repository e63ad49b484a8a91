import type { Job } from '../jobs/job.js';
import type { JobState } from '../jobs/job-state.js';
import type { Database } from './database.js';

/** A job without its variables, files and log: what a list of many jobs shows. */
export type JobSummary = Pick<
  Job,
  'id' | 'automationId' | 'adapter' | 'state' | 'error' | 'attempt' | 'createdAt' | 'startedAt' | 'finishedAt'
>;

interface SummaryRow {
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

const columns = [
  'id',
  'automation_id',
  'adapter',
  'state',
  'error',
  'attempt',
  'created_at',
  'started_at',
  'finished_at',
];
const dateOf = (ms: number | string | null): Date | null => (ms === null ? null : new Date(Number(ms)));

const summaryFromRow = (row: SummaryRow): JobSummary => ({
  id: Number(row.id),
  automationId: row.automation_id,
  adapter: row.adapter,
  state: row.state,
  error: row.error,
  attempt: Number(row.attempt),
  createdAt: new Date(Number(row.created_at)),
  startedAt: dateOf(row.started_at),
  finishedAt: dateOf(row.finished_at),
});

export interface JobChanges {
  /** Jobs with an id above `afterId`, oldest first. */
  added: JobSummary[];
  running: JobSummary[];
  /** Jobs that ended at or after `endedSince`. */
  ended: JobSummary[];
}

/**
 * What may have changed since a watcher's last look, as three index seeks (primary key, running
 * jobs, `finished_at`) of at most `limit` rows each; queued jobs, which may be a million, are
 * read only when new.
 */
export const listJobChanges = async (
  db: Database,
  since: { afterId: number; endedSince: number; limit: number },
): Promise<JobChanges> => {
  const [added, running, ended] = (await Promise.all([
    db('jobs').select(columns).where('id', '>', since.afterId).orderBy('id', 'asc').limit(since.limit),
    db('jobs').select(columns).where('state', 'running').limit(since.limit),
    db('jobs').select(columns).where('finished_at', '>=', since.endedSince).limit(since.limit),
  ])) as SummaryRow[][];
  return {
    added: (added ?? []).map(summaryFromRow),
    running: (running ?? []).map(summaryFromRow),
    ended: (ended ?? []).map(summaryFromRow),
  };
};

export const newestJobId = async (db: Database): Promise<number> => {
  const row = (await db('jobs').max({ id: 'id' }).first()) as { id: number | string | null } | undefined;
  return Number(row?.id ?? 0);
};

export interface MinuteActivity {
  /** Start of the minute (ms since the epoch). */
  at: number;
  /** Jobs that ended in it, and of those, how many did not succeed. */
  ended: number;
  failed: number;
  /** Averages over those jobs; null in a minute without any. */
  runMs: number | null;
  waitMs: number | null;
}

interface MinuteRow {
  minute: number | string;
  ended: number | string;
  failed: number | string;
  run_ms: number | string | null;
  wait_ms: number | string | null;
}

/**
 * Per minute from `from` to now: jobs ended, not succeeded, average run time and wait in the
 * queue. One grouped query over the `finished_at` index; integer division by 60000 is the minute
 * in SQLite and PostgreSQL alike.
 */
export const jobActivity = async (db: Database, from: number, now = Date.now()): Promise<MinuteActivity[]> => {
  const rows = (await db('jobs')
    .where('finished_at', '>=', from)
    .select(
      db.raw('finished_at / 60000 AS minute'),
      db.raw('COUNT(*) AS ended'),
      db.raw("SUM(CASE WHEN state = 'succeeded' THEN 0 ELSE 1 END) AS failed"),
      db.raw('AVG(finished_at - started_at) AS run_ms'),
      db.raw('AVG(started_at - created_at) AS wait_ms'),
    )
    .groupByRaw('finished_at / 60000')) as MinuteRow[];
  const byMinute = new Map(rows.map((row) => [Number(row.minute), row]));
  const first = Math.floor(from / 60_000);
  return Array.from({ length: Math.floor(now / 60_000) - first + 1 }, (_, i) => {
    const row = byMinute.get(first + i);
    const average = (value: number | string | null | undefined) => (value == null ? null : Math.round(Number(value)));
    return {
      at: (first + i) * 60_000,
      ended: Number(row?.ended ?? 0),
      failed: Number(row?.failed ?? 0),
      runMs: average(row?.run_ms),
      waitMs: average(row?.wait_ms),
    };
  });
};
