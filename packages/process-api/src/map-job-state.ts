import { isFinal, type Job } from '@botgate/core';

export type RunState = 'INI' | 'IP' | 'COMPL';

/** Robocorp's words for a job: its state, result and error code. */
export const mapJobState = (
  job: Pick<Job, 'state' | 'errorCode'>,
): { state: RunState; result: 'OK' | 'ERR' | null; errorCode: string } => {
  if (job.state === 'queued') return { state: 'INI', result: null, errorCode: '' };
  if (job.state === 'running') return { state: 'IP', result: null, errorCode: '' };
  if (job.state === 'succeeded') return { state: 'COMPL', result: 'OK', errorCode: '' };
  const errorCode =
    job.state === 'timed_out'
      ? 'TIMEOUT'
      : job.state === 'canceled'
        ? 'CANCELED'
        : job.errorCode === 'INTERRUPTED'
          ? 'INTERRUPTED'
          : 'ROBOT_FAILURE';
  return { state: 'COMPL', result: 'ERR', errorCode };
};

/** Whole seconds the run has taken so far (0 while queued). */
export const durationOf = (job: Pick<Job, 'state' | 'startedAt' | 'finishedAt'>): number => {
  if (!job.startedAt) return 0;
  const end = isFinal(job.state) && job.finishedAt ? job.finishedAt : new Date();
  return Math.max(0, Math.round((end.getTime() - job.startedAt.getTime()) / 1000));
};
