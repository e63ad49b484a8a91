import {
  createDeliveryDispatcher,
  createDeliveryLog,
  onJobsOf,
  type Core,
  type DeliveryLog,
  type DeliveryTuning,
} from '@botgate/core';
import { createProcesses } from '../processes.js';
import { createDeliveries, createDeliveriesOf } from './create-deliveries.js';
import { sign } from './sign.js';

export interface WebhookDispatcherOptions extends DeliveryTuning {
  /** @default the workspace id made once and kept in the database */
  workspaceId?: string | undefined;
}

/** The tables of this adapter's deliveries: the dispatcher sends from them, the log reads them. */
const deliveryTables = {
  deliveries: 'process_api_deliveries',
  attempts: 'process_api_delivery_attempts',
  marks: 'process_api_delivery_marks',
};

/** What this adapter's webhooks are and were (the console's Deliveries page, the CLI). */
export const deliveryLogOf = (core: Core): DeliveryLog => createDeliveryLog(core.store('process-api'), deliveryTables);

/**
 * Delivers process-api's completion events at least once, with core's delivery dispatcher over
 * this adapter's tables: each is signed with its process's webhook secret.
 */
export const createWebhookDispatcher = (core: Core, { workspaceId, ...tuning }: WebhookDispatcherOptions = {}) => {
  const processes = createProcesses(core, workspaceId);
  const store = core.store('process-api');

  const secretOf = async (runId: string): Promise<string | undefined> => {
    const [row] = await store.query<{ webhook_secret: string | null }>(
      `SELECT p.webhook_secret FROM process_api_runs r JOIN process_api_processes p ON p.process_id = r.process_id
        WHERE r.run_id = ?`,
      [runId],
    );
    return row?.webhook_secret ?? undefined;
  };

  return createDeliveryDispatcher({
    store,
    tables: deliveryTables,
    collect: async (since) => createDeliveries(core, store, await processes.workspaceId(), since),
    collectEnded: async (jobs) => createDeliveriesOf(core, store, await processes.workspaceId(), jobs),
    headersOf: async (delivery): Promise<Record<string, string>> => {
      const secret = await secretOf(delivery.run_id as string);
      return secret ? { 'x-rc-signature': sign(delivery.body, secret) } : {};
    },
    subscribe: onJobsOf(core.jobs, 'process-api'),
    what: 'webhook delivery',
    ...tuning,
  });
};

export type WebhookDispatcher = ReturnType<typeof createWebhookDispatcher>;
