import { ApiTaskError } from './errors.js';

/**
 * An allocation's `concurrencyLimit`: a call over it is refused at once with 429, as Automation
 * Anywhere's is, instead of waiting. Counted in this process.
 */
export const createConcurrencyGate = () => {
  const active = new Map<string, number>();
  return {
    enter(allocationId: string, limit: number): () => void {
      const count = active.get(allocationId) ?? 0;
      if (count >= limit) {
        throw new ApiTaskError('TOO_MANY_REQUESTS', `this API Task already runs ${count} request(s), its concurrency limit; try again when one has answered`, { 'Retry-After': '1' });
      }
      active.set(allocationId, count + 1);
      let left = false;
      return () => {
        if (left) return;
        left = true;
        const now = (active.get(allocationId) ?? 1) - 1;
        if (now <= 0) active.delete(allocationId);
        else active.set(allocationId, now);
      };
    },
  };
};
