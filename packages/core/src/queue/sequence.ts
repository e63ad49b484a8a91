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
 * `last_number`). A transaction's first number of a key locks that row and reads it in one
 * statement: PostgreSQL's UPDATE waits for a transaction holding the row and then reads what it
 * committed, which a read after an advisory lock could not (its snapshot is older than the lock),
 * so this is one round trip where the lock and a `max()` were two. The numbers after it are
 * counted here, and the row's new last number is written with the transaction's other rows
 * (`StoreTransaction.insert`), in the same statement on PostgreSQL. The jobs of a group commit
 * share the transaction, its lock and its count.
 *
 * `readLast` gives a key's last number before it had a row: the largest the adapter's own rows
 * hold (numbers handed out before the counter table existed).
 */
export const createSequence = (options: {
  table: string;
  readLast: (tx: StoreTransaction, key: string) => Promise<number>;
}) => {
  const { table } = options;
  const counters = new WeakMap<StoreTransaction, Map<string, Promise<Counter>>>();

  const lockedLast = async (tx: StoreTransaction, key: string): Promise<number> => {
    const [row] = await tx.query<{ last_number: number | string }>(
      `UPDATE ${table} SET last_number = last_number WHERE sequence_key = ? RETURNING last_number`,
      [key],
    );
    if (row) return Number(row.last_number);
    // A key's first number: should another node create the row meanwhile, the conflict waits for
    // its commit and reads its last number, not this guess.
    const [created] = await tx.query<{ last_number: number | string }>(
      `INSERT INTO ${table} (sequence_key, last_number) VALUES (?, ?)
         ON CONFLICT (sequence_key) DO UPDATE SET last_number = ${table}.last_number RETURNING last_number`,
      [key, await options.readLast(tx, key)],
    );
    return Number(created?.last_number ?? 0);
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
