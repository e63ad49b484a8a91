import type { Request, Response } from 'express';
import type { ConsoleContext } from '../console-context.js';
import { deliverySummary, type DeliverySource } from './deliveries.js';

/** Counts by state, the last hour minute by minute (core's `jobs.activity`), and deliveries by state. */
export const overview =
  (context: ConsoleContext, deliveries: readonly DeliverySource[]) => async (_req: Request, res: Response) => {
    const from = (Math.floor(Date.now() / 60_000) - 59) * 60_000;
    const [counts, minutes, sent] = await Promise.all([
      context.core.jobs.counts(),
      context.core.jobs.activity(from),
      deliverySummary(deliveries),
    ]);
    res.json({ counts, minutes, deliveries: sent });
  };
