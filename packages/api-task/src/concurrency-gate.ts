import { ConcurrencyLimitError, type Core } from '@botgate/core';
import { ApiTaskError } from './errors.js';

export interface ConcurrencyGate {
  /** Takes a slot of the allocation, or refuses at once with 429; answers the function that gives it back. */
  enter(allocationId: string, limit: number): Promise<() => void>;
}

/** An allocation's `concurrencyLimit`: a call over it is refused at once with 429, as Automation Anywhere's is, instead of waiting. */
export const createConcurrencyGate = (core: Core): ConcurrencyGate => ({
  async enter(allocationId, limit) {
    try {
      return await core.slots.enter(`api-task:${allocationId}`, limit);
    } catch (error) {
      if (!(error instanceof ConcurrencyLimitError)) throw error;
      throw new ApiTaskError(
        'TOO_MANY_REQUESTS',
        `this API Task already runs ${error.count} request(s), its concurrency limit; try again when one has answered`,
        { 'Retry-After': '1' },
      );
    }
  },
});
