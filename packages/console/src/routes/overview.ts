import type { Request, Response } from 'express';
import type { ConsoleContext } from '../console-context.js';

/** Counts by state, and the last hour minute by minute (core's `jobs.activity`). */
export const overview = (context: ConsoleContext) => async (_req: Request, res: Response) => {
  const from = (Math.floor(Date.now() / 60_000) - 59) * 60_000;
  const [counts, minutes] = await Promise.all([context.core.jobs.counts(), context.core.jobs.activity(from)]);
  res.json({ counts, minutes });
};
