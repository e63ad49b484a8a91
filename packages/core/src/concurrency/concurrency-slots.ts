import { BotgateError } from '../errors.js';
import { isSqlite, lockKey, type Database } from '../queue/database.js';

/** A call past its key's limit; `count` is how many run now. */
export class ConcurrencyLimitError extends BotgateError {
  constructor(
    readonly key: string,
    readonly count: number,
  ) {
    super('CONCURRENCY_LIMIT', `${count} call(s) of ${key} run now, its concurrency limit`, { key, count });
    this.name = 'ConcurrencyLimitError';
  }
}

export interface ConcurrencySlots {
  /**
   * Takes one of `limit` slots of `key` on every node together, or refuses at once with
   * `ConcurrencyLimitError` (a caller that must not wait: Automation Anywhere's real-time execute
   * answers 429). Answers the function that gives the slot back; calling it twice gives back one.
   */
  enter(key: string, limit: number): Promise<() => void>;
  /** Stops renewing this node's slots. */
  close(): void;
}

const once = (fn: () => void) => {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    fn();
  };
};

/**
 * On SQLite (one node) the count is kept in memory, costing nothing. On PostgreSQL, where several
 * nodes share a key, each node keeps its count in a row renewed like a lease, and a new call
 * counts every live node's row under the key's advisory lock: two writes per call, the price of a
 * limit that holds across the cluster.
 */
export const createConcurrencySlots = (db: Database, nodeId: string, leaseMs: number): ConcurrencySlots => {
  const local = new Map<string, number>();
  const release = (key: string) => {
    const now = (local.get(key) ?? 1) - 1;
    if (now <= 0) local.delete(key);
    else local.set(key, now);
  };

  if (isSqlite(db)) {
    return {
      async enter(key, limit) {
        const count = local.get(key) ?? 0;
        if (count >= limit) throw new ConcurrencyLimitError(key, count);
        local.set(key, count + 1);
        return once(() => release(key));
      },
      close: () => undefined,
    };
  }

  const table = () => db('concurrency_slots');
  // Rows of this node stay alive while it has calls in flight.
  const renewal = setInterval(
    () => {
      if (local.size === 0) return;
      void table()
        .where({ node_id: nodeId })
        .whereIn('key', [...local.keys()])
        .update({ expires_at: Date.now() + leaseMs })
        .catch(() => undefined);
    },
    Math.max(100, Math.floor(leaseMs / 3)),
  );
  renewal.unref();

  return {
    async enter(key, limit) {
      await db.transaction(async (tx) => {
        await lockKey(tx, `concurrency-slots:${key}`);
        const now = Date.now();
        const [row] = (await tx('concurrency_slots')
          .where({ key })
          .where('expires_at', '>', now)
          .sum({ active: 'active' })) as Array<{ active: number | string | null }>;
        const count = Number(row?.active ?? 0);
        if (count >= limit) throw new ConcurrencyLimitError(key, count);
        // Counted in SQL, not copied from memory: concurrent releases may reach the row in any order.
        await tx.raw(
          `INSERT INTO concurrency_slots (key, node_id, active, expires_at) VALUES (?, ?, 1, ?)
           ON CONFLICT (key, node_id) DO UPDATE
             SET active = CASE WHEN concurrency_slots.expires_at <= ? THEN 1 ELSE concurrency_slots.active + 1 END, expires_at = EXCLUDED.expires_at`,
          [key, nodeId, now + leaseMs, now],
        );
        local.set(key, (local.get(key) ?? 0) + 1);
      });
      return once(() => {
        release(key);
        void table()
          .where({ key, node_id: nodeId })
          .where('active', '>', 0)
          .decrement('active', 1)
          .catch(() => undefined);
      });
    },
    close: () => clearInterval(renewal),
  };
};
