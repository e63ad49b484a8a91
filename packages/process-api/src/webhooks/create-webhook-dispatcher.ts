import { createDeliveryDispatcher, onJobsOf, type Core, type Logger } from '@botgate/core';
import { createProcesses } from '../processes.js';
import { createDeliveries } from './create-deliveries.js';
import { sign } from './sign.js';

export interface WebhookDispatcherOptions {
  /** @default the workspace id made once and kept in the database */
  workspaceId?: string | undefined;
  /** How often due deliveries and newly completed runs are looked for. @default 1000 */
  pollMs?: number;
  /** The first retry waits this long, each next one twice as long (at most an hour). @default 5000 */
  retryBaseMs?: number;
  /** Attempts before a delivery is given up. @default 12 */
  maxAttempts?: number;
  /** How long the receiver gets to answer. @default 10000 */
  timeoutMs?: number;
  /** @default a silent logger */
  logger?: Logger;
  /** Told of every attempt's outcome (the server counts them for /metrics). */
  onAttempt?: (outcome: 'delivered' | 'retrying' | 'failed') => void;
}

/**
 * Delivers process-api's completion events at least once, with core's delivery dispatcher over
 * this adapter's tables: each is signed with its process's webhook secret.
 */
export const createWebhookDispatcher = (core: Core, options: WebhookDispatcherOptions = {}) => {
  const processes = createProcesses(core, options.workspaceId);

  const secretOf = async (runId: string): Promise<string | undefined> => {
    const row = (await core
      .db('process_api_runs as r')
      .join('process_api_processes as p', 'p.process_id', 'r.process_id')
      .where('r.run_id', runId)
      .first('p.webhook_secret')) as { webhook_secret: string | null } | undefined;
    return row?.webhook_secret ?? undefined;
  };

  return createDeliveryDispatcher({
    db: core.db,
    tables: { deliveries: 'process_api_deliveries', attempts: 'process_api_delivery_attempts' },
    collect: async (since) => createDeliveries(core, await processes.workspaceId(), since),
    headersOf: async (delivery): Promise<Record<string, string>> => {
      const secret = await secretOf(delivery.run_id as string);
      return secret ? { 'x-rc-signature': sign(delivery.body, secret) } : {};
    },
    subscribe: onJobsOf(core.jobs, 'process-api'),
    what: 'webhook delivery',
    ...(options.pollMs === undefined ? {} : { pollMs: options.pollMs }),
    ...(options.retryBaseMs === undefined ? {} : { retryBaseMs: options.retryBaseMs }),
    ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
    ...(options.onAttempt === undefined ? {} : { onAttempt: options.onAttempt }),
  });
};

export type WebhookDispatcher = ReturnType<typeof createWebhookDispatcher>;
