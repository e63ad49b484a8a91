import { createHmac } from 'node:crypto';
import {
  createDeliveryDispatcher,
  createDeliveryLog,
  onJobsOf,
  type Core,
  type DeliveryLog,
  type DeliveryTuning,
} from '@botgate/core';
import { createDeliveries, createDeliveriesOf } from './create-deliveries.js';
import { createWebhooks } from './webhooks.js';

/** Orchestrator's `X-UiPath-Signature`: HMAC-SHA256 of the raw body with the webhook's secret, in Base64. */
export const signature = (body: string, secret: string): string =>
  createHmac('sha256', secret).update(body).digest('base64');

/** The tables of this adapter's deliveries: the dispatcher sends from them, the log reads them. */
const deliveryTables = {
  deliveries: 'uipath_deliveries',
  attempts: 'uipath_delivery_attempts',
  marks: 'uipath_delivery_marks',
};

/** What this adapter's webhooks are and were (the console's Deliveries page, the CLI). */
export const deliveryLogOf = (core: Core): DeliveryLog => createDeliveryLog(core.store('uipath'), deliveryTables);

/**
 * Delivers UiPath's job events at least once, with core's delivery dispatcher over this
 * adapter's tables. Orchestrator sends each event once and drops it when the receiver fails
 * (a circuit breaker); botgate retries with backoff, across restarts (docs/uipath.md).
 */
export const createUipathWebhookDispatcher = (core: Core, tuning: DeliveryTuning = {}) => {
  const webhooks = createWebhooks(core);
  const store = core.store('uipath');
  return createDeliveryDispatcher({
    store,
    tables: deliveryTables,
    collect: async (since) => createDeliveries(core, store, await webhooks.list(), since),
    collectEnded: async (jobs) => createDeliveriesOf(core, store, await webhooks.list(), jobs),
    headersOf: async (delivery): Promise<Record<string, string>> => {
      const webhook = await webhooks.find(Number(delivery.webhook_id));
      // Removed after this delivery was written: nothing is sent, and never an unsigned event.
      if (!webhook) throw new Error(`webhook ${String(delivery.webhook_id)} was removed`);
      return webhook.secret ? { 'x-uipath-signature': signature(delivery.body, webhook.secret) } : {};
    },
    subscribe: onJobsOf(core.jobs, 'uipath'),
    what: 'uipath webhook delivery',
    ...tuning,
  });
};
