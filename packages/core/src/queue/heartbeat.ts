import type { Database } from './database.js';

/**
 * Renews the leases of the jobs this node runs (named, so a row it lost track of is left to
 * recovery); returns those someone asked to cancel.
 */
export const heartbeat = async (db: Database, nodeId: string, jobIds: readonly number[], leaseMs: number): Promise<number[]> => {
  if (jobIds.length === 0) return [];
  await db('jobs').whereIn('id', jobIds).where({ lease_owner: nodeId, state: 'running' }).update({ lease_expires_at: Date.now() + leaseMs });
  return cancelRequested(db, nodeId, jobIds);
};

export const cancelRequested = async (db: Database, nodeId: string, jobIds: readonly number[]): Promise<number[]> => {
  if (jobIds.length === 0) return [];
  const rows: Array<{ id: number }> = await db('jobs').whereIn('id', jobIds).where({ lease_owner: nodeId, state: 'running', cancel_requested: true }).select('id');
  return rows.map((r) => Number(r.id));
};
