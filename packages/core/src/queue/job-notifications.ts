import type { Knex } from 'knex';
import type { Logger } from '../logger.js';
import { isSqlite, type Database } from './database.js';
import { listenChannel, type ChannelListener } from './pg-listener.js';

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

/**
 * Wakes this node's dispatcher when another node queues work, so idle nodes pick jobs up at once
 * and polling is only the fallback.
 */
export const listenForJobs = (
  db: Database,
  onNotify: (automationId: string) => void,
  logger: Logger,
): ChannelListener => listenChannel(db, jobsChannel, { onNotify }, logger, 'job notifications');
