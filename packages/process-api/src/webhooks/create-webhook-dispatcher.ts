import { silentLogger, type Core, type Logger } from '@botgate/core';
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

interface DeliveryRow {
  id: string;
  url: string;
  body: string;
  run_id: string;
  attempts: number;
  next_attempt_at: number | string;
}

/**
 * Delivers completion events at least once: each is a row, claimed by moving its next attempt
 * into the future (so two nodes never send it at once), sent, and settled with the attempt
 * recorded. A 2xx answer delivers it; anything else retries with backoff, across restarts.
 */
export const createWebhookDispatcher = (core: Core, options: WebhookDispatcherOptions = {}) => {
  const logger = options.logger ?? silentLogger;
  const pollMs = options.pollMs ?? 1000;
  const retryBaseMs = options.retryBaseMs ?? 5000;
  const maxAttempts = options.maxAttempts ?? 12;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const processes = createProcesses(core, options.workspaceId);
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let lastSweep = 0;
  let unsubscribe: (() => void) | undefined;

  const secretOf = async (runId: string): Promise<string | undefined> => {
    const row = (await core
      .db('process_api_runs as r')
      .join('process_api_processes as p', 'p.process_id', 'r.process_id')
      .where('r.run_id', runId)
      .first('p.webhook_secret')) as { webhook_secret: string | null } | undefined;
    return row?.webhook_secret ?? undefined;
  };

  const attempt = async (delivery: DeliveryRow): Promise<void> => {
    const started = Date.now();
    const number = delivery.attempts + 1;
    let status: number | null = null;
    let error: string | null = null;
    const secret = await secretOf(delivery.run_id);
    try {
      const response = await fetch(delivery.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'botgate-webhooks', ...(secret ? { 'x-rc-signature': sign(delivery.body, secret) } : {}) },
        body: delivery.body,
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'manual',
      });
      status = response.status;
      await response.body?.cancel();
      if (status < 200 || status >= 300) error = `receiver answered ${status}`;
    } catch (cause) {
      error = (cause as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (cause as Error).message;
    }
    const now = Date.now();
    await core.db('process_api_delivery_attempts').insert({ delivery_id: delivery.id, attempt: number, at: started, status, error, duration_ms: now - started });
    if (error === null) {
      await core.db('process_api_deliveries').where({ id: delivery.id }).update({ state: 'delivered', attempts: number, last_status: status, last_error: null, delivered_at: now });
      options.onAttempt?.('delivered');
      return;
    }
    const givenUp = number >= maxAttempts;
    const backoff = Math.min(retryBaseMs * 2 ** (number - 1), 3_600_000);
    await core
      .db('process_api_deliveries')
      .where({ id: delivery.id })
      .update({ state: givenUp ? 'failed' : 'pending', attempts: number, last_status: status, last_error: error, next_attempt_at: now + backoff });
    options.onAttempt?.(givenUp ? 'failed' : 'retrying');
    logger.warn({ deliveryId: delivery.id, url: delivery.url, attempt: number, error, givenUp }, 'webhook delivery failed');
  };

  const tick = async (): Promise<void> => {
    const workspaceId = await processes.workspaceId();
    // After a start, every completed run is looked at once; then only the recent ones.
    const since = lastSweep === 0 ? 0 : lastSweep - 60_000;
    lastSweep = Date.now();
    await createDeliveries(core, workspaceId, since);
    const now = Date.now();
    const due = (await core.db('process_api_deliveries').where({ state: 'pending' }).where('next_attempt_at', '<=', now).orderBy('next_attempt_at').limit(20)) as DeliveryRow[];
    await Promise.all(
      due.map(async (delivery) => {
        const claimed = await core
          .db('process_api_deliveries')
          .where({ id: delivery.id, state: 'pending', next_attempt_at: delivery.next_attempt_at })
          .update({ next_attempt_at: now + timeoutMs + 5000 });
        if (claimed > 0) await attempt(delivery);
      }),
    );
  };

  const run = (): void => {
    if (running) return;
    running = tick()
      .catch((error: unknown) => logger.error({ err: error }, 'webhook dispatch failed'))
      .finally(() => {
        running = undefined;
      });
  };

  return {
    start(): void {
      if (timer) return;
      timer = setInterval(run, pollMs);
      // A run that ends here is announced at once rather than at the next poll.
      unsubscribe = core.jobs.onFinished((job) => job.adapter === 'process-api' && run());
      run();
    },
    async stop(): Promise<void> {
      clearInterval(timer);
      timer = undefined;
      unsubscribe?.();
      await running;
    },
  };
};

export type WebhookDispatcher = ReturnType<typeof createWebhookDispatcher>;
