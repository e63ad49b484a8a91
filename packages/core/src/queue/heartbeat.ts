import type { Database } from './database.js';

/** Renews this node's leases; returns the ids of its running jobs that someone asked to cancel. */
export const heartbeat = async (db: Database, nodeId: string, leaseMs: number): Promise<number[]> => {
  await db('jobs').where({ lease_owner: nodeId, state: 'running' }).update({ lease_expires_at: Date.now() + leaseMs });
  return cancelRequested(db, nodeId);
};

export const cancelRequested = async (db: Database, nodeId: string): Promise<number[]> => {
  const rows: Array<{ id: number }> = await db('jobs').where({ lease_owner: nodeId, state: 'running', cancel_requested: true }).select('id');
  return rows.map((r) => Number(r.id));
};
