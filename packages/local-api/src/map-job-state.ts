import type { JobState } from '@botgate/core';

export type EmilyStatus = 'inqueue' | 'executing' | 'finished';

/** EMILY knows three words; a retry sends a job back to `inqueue`. */
export const mapJobState = (state: JobState): EmilyStatus =>
  state === 'queued' ? 'inqueue' : state === 'running' ? 'executing' : 'finished';
