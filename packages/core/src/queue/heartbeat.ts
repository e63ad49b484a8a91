import type { Database } from './database.js';

/**
 * Renews the leases of the jobs this node runs (named, so a row it lost track of is left to
 * recovery). Answers those someone asked to cancel, and those it could not renew: another node
 * took them over (this one stalled past its lease), so this node must stop running them.
 */
export const heartbeat = async (
  db: Database,
  nodeId: string,
  jobIds: readonly number[],
  leaseMs: number,
): Promise<{ cancel: number[]; lost: number[] }> => {
  if (jobIds.length === 0) return { cancel: [], lost: [] };
  const renewed: Array<{ id: number | string; cancel_requested: boolean | number }> = await db('jobs')
    .whereIn('id', jobIds)
    .where({ lease_owner: nodeId, state: 'running' })
    .update({ lease_expires_at: Date.now() + leaseMs })
    .returning(['id', 'cancel_requested']);
  const kept = new Set(renewed.map((row) => Number(row.id)));
  return {
    cancel: renewed.filter((row) => Boolean(row.cancel_requested)).map((row) => Number(row.id)),
    lost: jobIds.filter((id) => !kept.has(id)),
  };
};

export const cancelRequested = async (db: Database, nodeId: string, jobIds: readonly number[]): Promise<number[]> => {
  if (jobIds.length === 0) return [];
  const rows: Array<{ id: number }> = await db('jobs')
    .whereIn('id', jobIds)
    .where({ lease_owner: nodeId, state: 'running', cancel_requested: true })
    .select('id');
  return rows.map((r) => Number(r.id));
};
