import type { Knex } from 'knex';
import type { Logger } from '../logger.js';
import { isSqlite, type Database } from './database.js';

export const jobsChannel = 'botgate_jobs';

/**
 * Tells every node that an automation has work (a job queued, or a running job ended and freed a
 * slot). Inside a transaction, PostgreSQL delivers it at commit, never for a rolled-back job.
 * SQLite has no other node to tell.
 */
export const notifyJobs = async (db: Database | Knex.Transaction, automationId: string): Promise<void> => {
  if (isSqlite(db)) return;
  await db.raw('SELECT pg_notify(?, ?)', [jobsChannel, automationId]);
};

interface PgConnection {
  query(sql: string): Promise<unknown>;
  on(event: 'notification', listener: (message: { payload?: string }) => void): void;
  on(event: 'error' | 'end', listener: (error?: Error) => void): void;
  end(): Promise<void>;
}

/**
 * Wakes this node's dispatcher when another node queues work, so idle nodes pick jobs up at once
 * and polling is only the fallback. A lost connection is re-established after a second.
 */
export const listenForJobs = (db: Database, onNotify: (automationId: string) => void, logger: Logger): { close(): Promise<void> } => {
  if (isSqlite(db)) return { close: async () => {} };
  let connection: PgConnection | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;
  const client = db.client as { acquireRawConnection(): Promise<PgConnection> };

  const connect = async (): Promise<void> => {
    try {
      const raw = await client.acquireRawConnection();
      if (closed) {
        await raw.end();
        return;
      }
      connection = raw;
      raw.on('notification', (message) => onNotify(message.payload ?? ''));
      const lost = (error?: Error) => {
        if (closed || connection !== raw) return;
        connection = undefined;
        logger.warn({ err: error }, 'job notifications lost; reconnecting');
        retry = setTimeout(() => void connect(), 1000);
      };
      raw.on('error', lost);
      raw.on('end', lost);
      await raw.query(`LISTEN ${jobsChannel}`);
    } catch (error) {
      logger.warn({ err: error }, 'cannot listen for job notifications; polling only until it can');
      if (!closed) retry = setTimeout(() => void connect(), 1000);
    }
  };
  void connect();

  return {
    async close() {
      closed = true;
      clearTimeout(retry);
      const open = connection;
      connection = undefined;
      await open?.end().catch(() => undefined);
    },
  };
};
