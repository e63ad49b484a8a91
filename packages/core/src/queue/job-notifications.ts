import type { Logger } from '../logger.js';
import type { Database } from './database.js';
import { listenChannel, type ChannelListener } from './pg-listener.js';

/**
 * PostgreSQL's channel for "an automation has work" (a job queued, or a running job ended and
 * freed a slot), its payload the automation's id. The statements that queue or end jobs notify in
 * the same statement, so it is delivered at commit and never for a rolled-back job. SQLite has no
 * other node to tell.
 */
export const jobsChannel = 'botgate_jobs';

/**
 * Wakes this node's dispatcher when another node queues work, so idle nodes pick jobs up at once
 * and polling is only the fallback.
 */
export const listenForJobs = (
  db: Database,
  onNotify: (automationId: string) => void,
  logger: Logger,
): ChannelListener => listenChannel(db, jobsChannel, { onNotify }, logger, 'job notifications');
