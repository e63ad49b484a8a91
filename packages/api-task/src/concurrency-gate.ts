import { isSqlite, lockKey, type Core } from '@botgate/core';
import { ApiTaskError } from './errors.js';

export interface ConcurrencyGate {
  /** Takes a slot of the allocation, or refuses at once with 429; answers the function that gives it back. */
  enter(allocationId: string, limit: number): Promise<() => void>;
}

const refuse = (count: number) =>
  new ApiTaskError(
    'TOO_MANY_REQUESTS',
    `this API Task already runs ${count} request(s), its concurrency limit; try again when one has answered`,
    { 'Retry-After': '1' },
  );

/**
 * An allocation's `concurrencyLimit`: a call over it is refused at once with 429, as Automation
 * Anywhere's is, instead of waiting. On SQLite (one node) the count is kept in memory, costing
 * nothing. On PostgreSQL, where several nodes share the allocation, each node keeps its count in
 * a row renewed like a lease, and a new call counts every live node's row under the allocation's
 * advisory lock: two writes per call, the price of a limit that holds across the cluster.
 */
export const createConcurrencyGate = (core: Core): ConcurrencyGate => {
  const local = new Map<string, number>();
  const release = (allocationId: string) => {
    const now = (local.get(allocationId) ?? 1) - 1;
    if (now <= 0) local.delete(allocationId);
    else local.set(allocationId, now);
  };
  const once = (fn: () => void) => {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      fn();
    };
  };

  if (isSqlite(core.db)) {
    return {
      async enter(allocationId, limit) {
        const count = local.get(allocationId) ?? 0;
        if (count >= limit) throw refuse(count);
        local.set(allocationId, count + 1);
        return once(() => release(allocationId));
      },
    };
  }

  const leaseMs = core.options.leaseMs;
  const table = () => core.db('api_task_slots');
  // Rows of this node stay alive while it has runs in flight.
  const renewal = setInterval(
    () => {
      if (local.size === 0) return;
      void table()
        .where({ node_id: core.nodeId })
        .whereIn('allocation_id', [...local.keys()])
        .update({ expires_at: Date.now() + leaseMs })
        .catch(() => undefined);
    },
    Math.max(100, Math.floor(leaseMs / 3)),
  );
  renewal.unref();

  return {
    async enter(allocationId, limit) {
      await core.db.transaction(async (tx) => {
        await lockKey(tx, `api-task-slots:${allocationId}`);
        const now = Date.now();
        const [row] = (await tx('api_task_slots')
          .where({ allocation_id: allocationId })
          .where('expires_at', '>', now)
          .sum({ active: 'active' })) as Array<{ active: number | string | null }>;
        const count = Number(row?.active ?? 0);
        if (count >= limit) throw refuse(count);
        // Counted in SQL, not copied from memory: concurrent releases may reach the row in any order.
        await tx.raw(
          `INSERT INTO api_task_slots (allocation_id, node_id, active, expires_at) VALUES (?, ?, 1, ?)
           ON CONFLICT (allocation_id, node_id) DO UPDATE
             SET active = CASE WHEN api_task_slots.expires_at <= ? THEN 1 ELSE api_task_slots.active + 1 END, expires_at = EXCLUDED.expires_at`,
          [allocationId, core.nodeId, now + leaseMs, now],
        );
        local.set(allocationId, (local.get(allocationId) ?? 0) + 1);
      });
      return once(() => {
        release(allocationId);
        void table()
          .where({ allocation_id: allocationId, node_id: core.nodeId })
          .where('active', '>', 0)
          .decrement('active', 1)
          .catch(() => undefined);
      });
    },
  };
};
