import { hostname } from 'node:os';
import type { Logger } from '../logger.js';
import type { Database } from './database.js';

/** A node whose worker takes queued jobs, as it announced itself. */
export interface WorkerNode {
  id: string;
  host: string;
  pid: number;
  startedAt: Date;
}

interface NodeRow {
  id: string;
  host: string;
  pid: number | string;
  started_at: number | string;
}

/** A row of a node that died stays this long past its lease, for the record, then goes. */
const keepDeadMs = 86_400_000;

/**
 * The nodes taking queued jobs: a started worker announces its node and renews it every third of
 * a lease, so a CLI can tell whether anything will run what it queues (and a node that dies stops
 * counting once its lease passes).
 */
export const createNodeRegistry = (db: Database, nodeId: string, leaseMs: number, logger: Logger) => {
  let timer: NodeJS.Timeout | undefined;
  // The renewal under way: `leave` waits for it, or it would write the row back after the delete.
  let renewing: Promise<void> = Promise.resolve();
  const renew = async () => {
    const now = Date.now();
    await db('nodes')
      .insert({
        id: nodeId,
        host: hostname(),
        pid: process.pid,
        started_at: now,
        expires_at: now + leaseMs,
      })
      .onConflict('id')
      .merge(['expires_at']);
    await db('nodes')
      .where('expires_at', '<', now - keepDeadMs)
      .delete();
  };
  return {
    /** Announces this node's worker, and keeps it announced until `leave`. */
    async join(): Promise<void> {
      await renew();
      timer ??= setInterval(
        () => {
          renewing = renew().catch((error: unknown) => logger.warn({ err: error }, 'renewing this node failed'));
        },
        Math.max(100, Math.floor(leaseMs / 3)),
      );
    },
    async leave(): Promise<void> {
      if (!timer) return;
      clearInterval(timer);
      timer = undefined;
      await renewing;
      await db('nodes').where({ id: nodeId }).delete();
    },
    /** The nodes whose workers are alive now, this one included when its worker runs. */
    async alive(): Promise<WorkerNode[]> {
      const rows = (await db('nodes').where('expires_at', '>', Date.now()).orderBy('started_at')) as NodeRow[];
      return rows.map((row) => ({
        id: row.id,
        host: row.host,
        pid: Number(row.pid),
        startedAt: new Date(Number(row.started_at)),
      }));
    },
  };
};

export type NodeRegistry = ReturnType<typeof createNodeRegistry>;
