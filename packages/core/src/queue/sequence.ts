import type { StoreTransaction } from '../store/adapter-store.js';

/** A key's counter as its transaction holds it: the row written at the commit. */
interface Counter {
  sequence_key: string;
  last_number: number;
}

/**
 * Numbers handed out per key (an EMILY skill's `msUnixTime`, a Robocorp process's run number)
 * inside the job's own transaction, so an answered number always resolves.
 *
 * Each key has a row in the adapter's counter table (`sequence_key` its primary key,
 * `last_number`). A transaction's first number of a key locks and reads that row in one
 * statement, an upsert: on PostgreSQL it waits for a transaction holding the row and then reads
 * what that one committed, which a read after an advisory lock could not (its snapshot is older
 * than the lock), so this is one round trip where the lock and a `max()` were two. The numbers
 * after it are counted here, and the row's new last number is written with the transaction's
 * other rows (`StoreTransaction.insert`), in the same statement on PostgreSQL. The jobs of a group
 * commit share the transaction, its lock and its count.
 *
 * `lastOf` is a scalar query with one `?` for the key: the largest number the adapter's own rows
 * hold. The counter never counts below it, so a key numbered before the counter table existed
 * goes on from its rows, and one numbered meanwhile by a node that does not count (an older
 * botgate during an upgrade) is caught up with at the next batch.
 */
export const createSequence = (options: { table: string; lastOf: string }) => {
  const { table } = options;
  const counters = new WeakMap<StoreTransaction, Map<string, Promise<Counter>>>();
  const lockAndRead = `INSERT INTO ${table} AS s (sequence_key, last_number) VALUES (?, (${options.lastOf}))
    ON CONFLICT (sequence_key) DO UPDATE SET last_number =
      CASE WHEN s.last_number > excluded.last_number THEN s.last_number ELSE excluded.last_number END
    RETURNING last_number`;

  const lockedLast = async (tx: StoreTransaction, key: string): Promise<number> => {
    const [row] = await tx.query<{ last_number: number | string }>(lockAndRead, [key, key]);
    return Number(row?.last_number ?? 0);
  };

  return {
    /** The key's next number: one past its last, or `atLeast` when that is larger. */
    async next(tx: StoreTransaction, key: string, atLeast = 0): Promise<number> {
      let held = counters.get(tx);
      if (!held) counters.set(tx, (held = new Map()));
      let pending = held.get(key);
      if (!pending) {
        pending = lockedLast(tx, key).then((last) => {
          const counter: Counter = { sequence_key: key, last_number: last };
          // Written at the commit, with the number reached by then.
          tx.insert(table, counter as unknown as Record<string, unknown>, { replaceOn: ['sequence_key'] });
          return counter;
        });
        held.set(key, pending);
      }
      const counter = await pending;
      counter.last_number = Math.max(atLeast, counter.last_number + 1);
      return counter.last_number;
    },
  };
};
