import type { JobSummary as CoreJobSummary } from '@botgate/core';

/** A job as the console's lists show it: core's summary, times in ms since the epoch. */
export interface JobSummary {
  id: number;
  automationId: string;
  adapter: string;
  state: CoreJobSummary['state'];
  error: string | null;
  attempt: number;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
}

/** Takes a whole job too: a job is a summary with more. */
export const summaryOf = (job: CoreJobSummary): JobSummary => ({
  id: job.id,
  automationId: job.automationId,
  adapter: job.adapter,
  state: job.state,
  error: job.error,
  attempt: job.attempt,
  createdAt: job.createdAt.getTime(),
  startedAt: job.startedAt?.getTime() ?? null,
  finishedAt: job.finishedAt?.getTime() ?? null,
});
