import type { StoreTransaction } from '../store/adapter-store.js';

/**
 * Numbers handed out per key (an EMILY skill's `msUnixTime`, a Robocorp process's run number)
 * inside the job's own transaction, so an answered number always resolves. The key's lock makes
 * nodes number one transaction at a time; the jobs of one group-commit batch share the
 * transaction, its lock and the last number read, so the lock and the `max()` cost one round trip
 * each per batch instead of per job.
 */
export const createSequence = (options: {
  lockPrefix: string;
  readLast: (tx: StoreTransaction, key: string) => Promise<number>;
}) => {
  const lastInTransaction = new WeakMap<StoreTransaction, Map<string, number>>();
  return {
    /** The key's next number: one past its last, or `atLeast` when that is larger. */
    async next(tx: StoreTransaction, key: string, atLeast = 0): Promise<number> {
      await tx.lock(`${options.lockPrefix}:${key}`);
      let numbers = lastInTransaction.get(tx);
      if (!numbers) lastInTransaction.set(tx, (numbers = new Map()));
      const last = numbers.get(key) ?? (await options.readLast(tx, key));
      const next = Math.max(atLeast, last + 1);
      numbers.set(key, next);
      return next;
    },
  };
};
