import type { AdapterStore } from '../store/adapter-store.js';
import type { Job } from '../jobs/job.js';
import type { EndedJob } from '../queue/job-queries.js';
import { silentLogger, type Logger } from '../logger.js';
import { createBatcher } from '../queue/batcher.js';

/** A delivery as its adapter's table holds it. */
export interface DeliveryRow {
  id: string;
  url: string;
  body: string;
  attempts: number;
  next_attempt_at: number | string;
  [column: string]: unknown;
}

/** One send of a delivery, as its attempts table records it. */
interface Attempt {
  delivery: DeliveryRow;
  number: number;
  started: number;
  ended: number;
  status: number | null;
  error: string | null;
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
  /**
   * Writes a delivery row for every event due that has none yet, derived from the database: an
   * event of a run that ended just before a crash, or on a node that died before it wrote the
   * row, is still written. `since` bounds the look after the first. Without `collectEnded` it
   * runs at every look; with it, only at the first and then every `sweepMs`.
   */
  collect: (since: number) => Promise<unknown>;
  /**
   * Writes the delivery rows of these jobs, heard ending on this node (`subscribe`): a look that
   * costs the ends since the last one, where `collect`'s look back costs every end of its window.
   */
  collectEnded?: (jobs: readonly Job[]) => Promise<unknown>;
  /** With `collectEnded`, how often `collect` looks back anyway. @default 60000 */
  sweepMs?: number | undefined;
  /** Headers of one delivery (a signature, the caller's own). */
  headersOf?: (delivery: DeliveryRow) => Promise<Record<string, string>>;
  /** Wakes the dispatcher with each of these jobs as it ends, rather than at its next poll. */
  subscribe?: (heard: (job: Job) => void) => () => void;
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
  const sweepMs = options.sweepMs ?? 60_000;
  // Deliveries being sent at once, at most: a receiver that does not answer holds up one of them
  // until its timeout, not every other delivery.
  const maxSending = 20;
  const sending = new Set<Promise<void>>();
  // Ends heard since the last look.
  const heard: Job[] = [];
  let timer: NodeJS.Timeout | undefined;
  let wakeTimer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  // Asked to look while a look ran.
  let again = false;
  let lookSoon: NodeJS.Immediate | undefined;
  let lastSweep = 0;
  let unsubscribe: (() => void) | undefined;

  // Prepared statements on the adapter's tables (a knex builder per statement cost more than
  // the statement, at a delivery or two per run's end).
  const { deliveries, attempts } = tables;
  const dueIds = `SELECT id FROM ${deliveries} WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?`;
  // Only what is still due is claimed: on PostgreSQL, a row another node claimed meanwhile fails
  // the condition when re-read. A look that finds nothing writes nothing (no lock, no flush).
  const claimIds = (count: number) => `UPDATE ${deliveries} SET next_attempt_at = ?
    WHERE state = 'pending' AND next_attempt_at <= ? AND id IN (${Array(count).fill('?').join(', ')}) RETURNING *`;
  const recordAttempt = `INSERT INTO ${attempts} (delivery_id, attempt, at, status, error, duration_ms) VALUES (?, ?, ?, ?, ?, ?)`;
  const settleDelivered = `UPDATE ${deliveries} SET state = 'delivered', attempts = ?, last_status = ?, last_error = NULL, delivered_at = ? WHERE id = ?`;
  const settleFailed = `UPDATE ${deliveries} SET state = ?, attempts = ?, last_status = ?, last_error = ?, next_attempt_at = ? WHERE id = ?`;

  /** Sends a delivery once; answers the attempt to record. */
  const send = async (delivery: DeliveryRow): Promise<Attempt> => {
    const started = Date.now();
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
    return { delivery, number: Number(delivery.attempts) + 1, started, ended: Date.now(), status, error };
  };

  // A look's attempts and their deliveries' new states, in one commit.
  const record = async (sent: readonly Attempt[]): Promise<void> => {
    await store.transaction(async (tx) => {
      for (const { delivery, number, started, ended, status, error } of sent) {
        await tx.query(recordAttempt, [delivery.id, number, started, status, error, ended - started]);
        if (error === null) await tx.query(settleDelivered, [number, status, ended, delivery.id]);
        else {
          const backoff = Math.min(retryBaseMs * 2 ** (number - 1), 3_600_000);
          const state = number >= maxAttempts ? 'failed' : 'pending';
          await tx.query(settleFailed, [state, number, status, error, ended + backoff, delivery.id]);
        }
      }
    });
    for (const { delivery, number, status, error } of sent) {
      if (error === null) {
        options.onAttempt?.('delivered');
        logger.info({ deliveryId: delivery.id, url: delivery.url, attempt: number, status }, `${what} delivered`);
        continue;
      }
      const givenUp = number >= maxAttempts;
      options.onAttempt?.(givenUp ? 'failed' : 'retrying');
      logger.warn({ deliveryId: delivery.id, url: delivery.url, attempt: number, error, givenUp }, `${what} failed`);
    }
  };

  // Attempts ended at about the same time share one commit.
  const recordEnded = createBatcher<Attempt, void>({
    many: async (attempts) => {
      await record(attempts);
      return attempts.map(() => undefined);
    },
    one: (attempt) => record([attempt]),
    maxBatch: 64,
  });

  const sendAndRecord = (delivery: DeliveryRow): void => {
    const done = send(delivery)
      .then(recordEnded)
      // Unrecorded, it is sent again once its claim runs out: at least once.
      .catch((error: unknown) => logger.error({ err: error, deliveryId: delivery.id }, `${what} not recorded`))
      .finally(() => {
        sending.delete(done);
        // Room for the next ones: sends that end in the same turn share one look.
        lookSoon ??= setImmediate(() => {
          lookSoon = undefined;
          run();
        });
      });
    sending.add(done);
  };

  const tick = async (): Promise<void> => {
    const ended = heard.splice(0);
    // Should this fail, the next look back writes what it would have.
    if (ended.length > 0) await options.collectEnded?.(ended);
    const started = Date.now();
    if (!options.collectEnded || lastSweep === 0 || started - lastSweep >= sweepMs) {
      // After a start, every due event is looked at once; then a minute before the last look,
      // for ends that became visible late (another node's clock, a long transaction).
      await options.collect(lastSweep === 0 ? 0 : lastSweep - 60_000);
      lastSweep = started;
    }
    const room = maxSending - sending.size;
    if (room <= 0) return;
    const now = Date.now();
    // Claimed by moving their next attempt past the send's timeout.
    const due = await store.query<{ id: string }>(dueIds, [now, room]);
    if (due.length === 0) return;
    const claimed = await store.query<DeliveryRow>(claimIds(due.length), [
      now + timeoutMs + 5000,
      now,
      ...due.map(({ id }) => id),
    ]);
    for (const delivery of claimed) sendAndRecord(delivery);
  };

  const run = (): void => {
    // Stopped: a send that ends now looks no further.
    if (!timer) return;
    if (running) {
      again = true;
      return;
    }
    again = false;
    running = tick()
      .catch((error: unknown) => logger.error({ err: error }, `${what} dispatch failed`))
      .finally(() => {
        running = undefined;
        if (again) setImmediate(run);
      });
  };

  const wake = (job: Job): void => {
    heard.push(job);
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
      await Promise.all(sending);
    },
  };
};

export type DeliveryDispatcher = ReturnType<typeof createDeliveryDispatcher>;

/** Subscribes to the end of jobs an adapter made. */
export const onJobsOf =
  (jobs: { onFinished(listener: (job: Job) => void): () => void }, adapter: string) => (heard: (job: Job) => void) =>
    jobs.onFinished((job) => {
      if (job.adapter === adapter) heard(job);
    });

/**
 * Runs `look` over jobs heard ending (`collectEnded`), as pages of `core.jobs.ended` give them
 * (id and end, 500 at a time), with the jobs themselves by id; answers the sum of what it answers.
 */
export const lookAtEnded = async (
  jobs: readonly Job[],
  look: (ended: EndedJob[], known: ReadonlyMap<number, Job>) => Promise<number>,
): Promise<number> => {
  const ended = jobs.map((job) => ({ id: job.id, finishedAt: job.finishedAt?.getTime() ?? Date.now() }));
  const known = new Map(jobs.map((job) => [job.id, job]));
  let sum = 0;
  for (let at = 0; at < ended.length; at += 500) sum += await look(ended.slice(at, at + 500), known);
  return sum;
};
