import type { Request, Response } from 'express';
import type { ConsoleContext } from '../console-context.js';

interface MinuteRow {
  minute: number | string;
  finished: number | string;
  failed: number | string;
  duration_ms: number | string | null;
  wait_ms: number | string | null;
}

/**
 * Counts by state, and per minute of the last hour: jobs ended, of which not succeeded, their
 * average run time and average wait in the queue. One grouped query; integer division by
 * 60000 is the minute in SQLite and PostgreSQL alike.
 */
export const overview = (context: ConsoleContext) => async (_req: Request, res: Response) => {
  const now = Date.now();
  const from = now - 60 * 60_000;
  const [counts, rows] = await Promise.all([
    context.core.jobs.counts(),
    context.core
      .db('jobs')
      .where('finished_at', '>=', from)
      .select(
        context.core.db.raw('finished_at / 60000 AS minute'),
        context.core.db.raw('COUNT(*) AS finished'),
        context.core.db.raw("SUM(CASE WHEN state = 'succeeded' THEN 0 ELSE 1 END) AS failed"),
        context.core.db.raw('AVG(finished_at - started_at) AS duration_ms'),
        context.core.db.raw('AVG(started_at - created_at) AS wait_ms'),
      )
      .groupByRaw('finished_at / 60000') as Promise<MinuteRow[]>,
  ]);
  const byMinute = new Map(rows.map((row) => [Number(row.minute), row]));
  const first = Math.floor(from / 60_000) + 1;
  const minutes = Array.from({ length: 60 }, (_, i) => {
    const row = byMinute.get(first + i);
    return {
      at: (first + i) * 60_000,
      finished: Number(row?.finished ?? 0),
      failed: Number(row?.failed ?? 0),
      durationMs: row?.duration_ms == null ? null : Math.round(Number(row.duration_ms)),
      waitMs: row?.wait_ms == null ? null : Math.round(Number(row.wait_ms)),
    };
  });
  res.json({ counts, minutes });
};
