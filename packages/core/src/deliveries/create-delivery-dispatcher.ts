import type { AdapterStore } from '../store/adapter-store.js';
import type { Job } from '../jobs/job.js';
import { silentLogger, type Logger } from '../logger.js';

/** A delivery as its adapter's table holds it. */
export interface DeliveryRow {
  id: string;
  url: string;
  body: string;
  attempts: number;
  next_attempt_at: number | string;
  [column: string]: unknown;
}

/** How often, how long and how many times: each adapter's delivery settings. */
export interface DeliveryTuning {
  /** @default 1000 */
  pollMs?: number | undefined;
  /** The first retry waits this long, each next one twice as long (at most an hour). @default 5000 */
  retryBaseMs?: number | undefined;
  /** Attempts before a delivery is given up. @default 12 */
  maxAttempts?: number | undefined;
  /** How long the receiver gets to answer. @default 10000 */
  timeoutMs?: number | undefined;
  /**
   * Job ends heard within this long of the first share one look for new events: a look is two
   * statements (~60 µs), and every real-time run of Automation Anywhere ends a job. @default 10
   */
  wakeDelayMs?: number | undefined;
  logger?: Logger | undefined;
  /** Told of every attempt's outcome (the server counts them for /metrics). */
  onAttempt?: ((outcome: 'delivered' | 'retrying' | 'failed') => void) | undefined;
}

export interface DeliveryDispatcherOptions extends DeliveryTuning {
  /** The adapter's store, whose tables these are. */
  store: AdapterStore;
  /** The adapter's tables: deliveries (`id, url, body, state, attempts, next_attempt_at, last_status, last_error, delivered_at`) and their attempts (`delivery_id, attempt, at, status, error, duration_ms`). */
  tables: { deliveries: string; attempts: string };
  /** Writes a delivery row for every event due that has none yet (derived from the database, so an event of a run that ended just before a crash is still written after the restart). `since` bounds the look after the first. */
  collect: (since: number) => Promise<unknown>;
  /** Headers of one delivery (a signature, the caller's own). */
  headersOf?: (delivery: DeliveryRow) => Promise<Record<string, string>>;
  /** Wakes the dispatcher when one of these jobs ends, rather than at its next poll. */
  subscribe?: (wake: () => void) => () => void;
  /** What the logs call it. @default 'delivery' */
  what?: string;
}

/**
 * Delivers events (webhooks, callbacks) at least once: each is a row, claimed by moving its next
 * attempt into the future (so two nodes never send it at once), POSTed, and settled with the
 * attempt recorded. A 2xx answer delivers it; anything else retries with backoff, across
 * restarts. Each adapter keeps its own tables and says how events become rows.
 */
export const createDeliveryDispatcher = (options: DeliveryDispatcherOptions) => {
  const { store, tables } = options;
  const logger = options.logger ?? silentLogger;
  const what = options.what ?? 'delivery';
  const pollMs = options.pollMs ?? 1000;
  const retryBaseMs = options.retryBaseMs ?? 5000;
  const maxAttempts = options.maxAttempts ?? 12;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const wakeDelayMs = options.wakeDelayMs ?? 10;
  let timer: NodeJS.Timeout | undefined;
  let wakeTimer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let lastSweep = 0;
  let unsubscribe: (() => void) | undefined;

  const attempt = async (delivery: DeliveryRow): Promise<void> => {
    const started = Date.now();
    const number = delivery.attempts + 1;
    let status: number | null = null;
    let error: string | null = null;
    try {
      const headers = (await options.headersOf?.(delivery)) ?? {};
      const response = await fetch(delivery.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'botgate-webhooks', ...headers },
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
    await store.table(tables.attempts).insert({
      delivery_id: delivery.id,
      attempt: number,
      at: started,
      status,
      error,
      duration_ms: now - started,
    });
    if (error === null) {
      await store
        .table(tables.deliveries)
        .where({ id: delivery.id })
        .update({ state: 'delivered', attempts: number, last_status: status, last_error: null, delivered_at: now });
      options.onAttempt?.('delivered');
      logger.info({ deliveryId: delivery.id, url: delivery.url, attempt: number, status }, `${what} delivered`);
      return;
    }
    const givenUp = number >= maxAttempts;
    const backoff = Math.min(retryBaseMs * 2 ** (number - 1), 3_600_000);
    await store
      .table(tables.deliveries)
      .where({ id: delivery.id })
      .update({
        state: givenUp ? 'failed' : 'pending',
        attempts: number,
        last_status: status,
        last_error: error,
        next_attempt_at: now + backoff,
      });
    options.onAttempt?.(givenUp ? 'failed' : 'retrying');
    logger.warn({ deliveryId: delivery.id, url: delivery.url, attempt: number, error, givenUp }, `${what} failed`);
  };

  const tick = async (): Promise<void> => {
    // After a start, every due event is looked at once; then only the recent ones.
    const since = lastSweep === 0 ? 0 : lastSweep - 60_000;
    lastSweep = Date.now();
    await options.collect(since);
    const now = Date.now();
    const due = (await store
      .table(tables.deliveries)
      .where({ state: 'pending' })
      .where('next_attempt_at', '<=', now)
      .orderBy('next_attempt_at')
      .limit(20)) as DeliveryRow[];
    await Promise.all(
      due.map(async (delivery) => {
        const claimed = await store
          .table(tables.deliveries)
          .where({ id: delivery.id, state: 'pending', next_attempt_at: delivery.next_attempt_at })
          .update({ next_attempt_at: now + timeoutMs + 5000 });
        if (claimed > 0) await attempt({ ...delivery, attempts: Number(delivery.attempts) });
      }),
    );
  };

  const run = (): void => {
    if (running) return;
    running = tick()
      .catch((error: unknown) => logger.error({ err: error }, `${what} dispatch failed`))
      .finally(() => {
        running = undefined;
      });
  };

  const wake = (): void => {
    wakeTimer ??= setTimeout(() => {
      wakeTimer = undefined;
      run();
    }, wakeDelayMs);
  };

  return {
    start(): void {
      if (timer) return;
      timer = setInterval(run, pollMs);
      unsubscribe = options.subscribe?.(wake);
      run();
    },
    async stop(): Promise<void> {
      clearInterval(timer);
      clearTimeout(wakeTimer);
      wakeTimer = undefined;
      timer = undefined;
      unsubscribe?.();
      await running;
    },
  };
};

export type DeliveryDispatcher = ReturnType<typeof createDeliveryDispatcher>;

/** Subscribes to the end of jobs an adapter made. */
export const onJobsOf =
  (jobs: { onFinished(listener: (job: Job) => void): () => void }, adapter: string) => (wake: () => void) =>
    jobs.onFinished((job) => {
      if (job.adapter === adapter) wake();
    });
