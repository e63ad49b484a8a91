import type { Job } from '@botgate/core';

/** A job as the console's list shows it. */
export interface JobSummary {
  id: number;
  automationId: string;
  adapter: string;
  state: Job['state'];
  error: string | null;
  attempt: number;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
}

export const summaryOf = (job: Job): JobSummary => ({
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
