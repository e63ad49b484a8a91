import type { Core } from '@botgate/core';
import type { Request, Response } from 'express';

/** `GET /api`: EMILY's queue overview, over the jobs this API created. */
export const getOverview = (core: Core, userId: string) => async (_req: Request, res: Response) => {
  const counts = await core.jobs.counts({ adapter: 'local-api' });
  res.json({
    userId,
    executing: counts.running > 0,
    waiting: counts.queued,
    finished: counts.succeeded + counts.failed + counts.timed_out + counts.canceled,
  });
};
