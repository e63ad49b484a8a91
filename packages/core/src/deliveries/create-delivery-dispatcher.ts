import type { AdapterStore } from '../store/adapter-store.js';
import type { Job } from '../jobs/job.js';
import { isFinal } from '../jobs/job-state.js';
import { silentLogger, type Logger } from '../logger.js';
import { compareText } from '../compare-text.js';
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
  /** The claim it was sent under: its `next_attempt_at`. */
  claimedUntil: number;
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
  /** Deliveries being sent at once, at most. @default 20 */
  maxSending?: number | undefined;
  /** Attempts before a delivery is given up. @default 12 */
  maxAttempts?: number | undefined;
  /** How long the receiver gets to answer. @default 10000 */
  timeoutMs?: number | undefined;
  /**
   * Job ends heard within this long of the first share one look for new events: every real-time
   * run of Automation Anywhere ends a job. @default 10
   */
  wakeDelayMs?: number | undefined;
  logger?: Logger | undefined;
  /** Told of every attempt's outcome (the server counts them for /metrics). */
  onAttempt?: ((outcome: 'delivered' | 'retrying' | 'failed') => void) | undefined;
}

export interface DeliveryDispatcherOptions extends DeliveryTuning {
  /** The adapter's store, whose tables these are. */
  store: AdapterStore;
  /**
   * The adapter's tables: deliveries (`id, url, body, state, attempts, next_attempt_at,
   * last_status, last_error, delivered_at`), their attempts (`delivery_id, attempt, at, status,
   * error, duration_ms`), and, where `collect` looks back over ended jobs, its mark (`name`, `at`):
   * when the last whole look back of any node began, so that a start looks back from an hour
   * before it rather than over the whole history.
   */
  tables: { deliveries: string; attempts: string; marks?: string | undefined };
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

/** How long after its end a job may become visible to a look (another node's clock, a long transaction). */
const lateEndsMs = 60_000;

/**
 * How far before the last whole look back (`tables.marks`) a start looks: an hour, so that an end
 * stamped by a node whose clock is behind, or made visible late, is still found by the next start,
 * as it was when every start looked over the whole history. And never later than this long before
 * the node's own clock, whatever mark a node with a clock ahead wrote.
 */
const startLookBackMs = 3_600_000;

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
  const maxSending = options.maxSending ?? 20;
  // The ids being sent, and the sends themselves (stop waits for them).
  const sending = new Set<string>();
  const inFlight = new Set<Promise<void>>();
  // Ends heard since the last look.
  const heard: Job[] = [];
  let timer: NodeJS.Timeout | undefined;
  let wakeTimer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  // Asked to look while a look ran.
  let again = false;
  let lookSoon: NodeJS.Immediate | undefined;
  let lastSweep = 0;
  // A look at the ends heard failed: the next look looks back too.
  let sweepNow = false;
  let unsubscribe: (() => void) | undefined;

  // Prepared statements on the adapter's tables (a knex builder per statement cost more than
  // the statement, at a delivery or two per run's end).
  const { deliveries, attempts } = tables;
  const dueIds = `SELECT id FROM ${deliveries} WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?`;
  // Only what is still due is claimed: on PostgreSQL, a row another node claimed meanwhile fails
  // the condition when re-read. A look that finds nothing writes nothing (no lock, no flush).
  const claimIds = (count: number) => `UPDATE ${deliveries} SET next_attempt_at = ?
    WHERE state = 'pending' AND next_attempt_at <= ? AND id IN (${Array(count).fill('?').join(', ')}) RETURNING *`;
  // One mark per table, written by every node: the latest wins.
  const markName = 'look-back';
  const { marks } = tables;
  const readMark = marks && `SELECT at FROM ${marks} WHERE name = ?`;
  const writeMark =
    marks &&
    `INSERT INTO ${marks} (name, at) VALUES (?, ?)
      ON CONFLICT (name) DO UPDATE SET at = CASE WHEN excluded.at > ${marks}.at THEN excluded.at ELSE ${marks}.at END`;
  const recordAttempt = `INSERT INTO ${attempts} (delivery_id, attempt, at, status, error, duration_ms) VALUES (?, ?, ?, ?, ?, ?)`;
  // Only the claim that sent it settles a delivery: a record that comes after its claim ran out
  // (and another took it) leaves the delivery as that one had it.
  const settleDelivered = `UPDATE ${deliveries} SET state = 'delivered', attempts = ?, last_status = ?, last_error = NULL, delivered_at = ?
    WHERE id = ? AND next_attempt_at = ?`;
  const settleFailed = `UPDATE ${deliveries} SET state = ?, attempts = ?, last_status = ?, last_error = ?, next_attempt_at = ?
    WHERE id = ? AND next_attempt_at = ?`;

  /** Sends a delivery once, under the claim that runs until `claimedUntil`; answers the attempt to record. */
  const send = async (delivery: DeliveryRow, claimedUntil: number): Promise<Attempt> => {
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
    const number = Number(delivery.attempts) + 1;
    return { delivery, claimedUntil, number, started, ended: Date.now(), status, error };
  };

  // Sends that ended at about the same time: their attempts and their deliveries' new states, in
  // one commit, in the deliveries' order (one order of row locks on every node).
  const record = async (sent: readonly Attempt[]): Promise<void> => {
    const ordered = [...sent].sort((x, y) => compareText(x.delivery.id, y.delivery.id));
    await store.transaction(async (tx) => {
      for (const { delivery, claimedUntil, number, started, ended, status, error } of ordered) {
        await tx.query(recordAttempt, [delivery.id, number, started, status, error, ended - started]);
        if (error === null) await tx.query(settleDelivered, [number, status, ended, delivery.id, claimedUntil]);
        else {
          const backoff = Math.min(retryBaseMs * 2 ** (number - 1), 3_600_000);
          const state = number >= maxAttempts ? 'failed' : 'pending';
          await tx.query(settleFailed, [state, number, status, error, ended + backoff, delivery.id, claimedUntil]);
        }
      }
    });
  };
  const recordEnded = createBatcher<Attempt, void>({
    many: async (sent) => {
      await record(sent);
      return sent.map(() => undefined);
    },
    one: (attempt) => record([attempt]),
    maxBatch: 64,
  });

  // After the commit, outside the batch: a throw here must not make the batcher record it again.
  const report = ({ delivery, number, status, error }: Attempt): void => {
    if (error === null) {
      options.onAttempt?.('delivered');
      logger.info({ deliveryId: delivery.id, url: delivery.url, attempt: number, status }, `${what} delivered`);
      return;
    }
    const givenUp = number >= maxAttempts;
    options.onAttempt?.(givenUp ? 'failed' : 'retrying');
    logger.warn({ deliveryId: delivery.id, url: delivery.url, attempt: number, error, givenUp }, `${what} failed`);
  };

  const sendAndRecord = (delivery: DeliveryRow, claimedUntil: number): void => {
    const done = (async () => {
      try {
        const attempt = await send(delivery, claimedUntil);
        await recordEnded(attempt);
        report(attempt);
      } catch (error) {
        // Unrecorded, it is sent again once its claim runs out: at least once.
        logger.error({ err: error, deliveryId: delivery.id }, `${what} not recorded`);
      }
    })().finally(() => {
      sending.delete(delivery.id);
      inFlight.delete(done);
      // Room for the next ones: sends that end in the same turn share one look.
      lookSoon ??= setImmediate(() => {
        lookSoon = undefined;
        run();
      });
    });
    sending.add(delivery.id);
    inFlight.add(done);
  };

  const tick = async (): Promise<void> => {
    const ended = heard.splice(0);
    if (ended.length > 0 && options.collectEnded) {
      try {
        await options.collectEnded(ended);
      } catch (error) {
        // The look back writes what it would have, at once.
        logger.error({ err: error }, `${what}: writing the events of ended jobs failed`);
        sweepNow = true;
      }
    }
    const started = Date.now();
    if (!options.collectEnded || sweepNow || lastSweep === 0 || started - lastSweep >= sweepMs) {
      // After a start, every due event is looked at once, from an hour before the last whole look
      // (of any node) began; then a minute before the last look, for ends that became visible
      // late (another node's clock, a long transaction).
      let since = lastSweep - lateEndsMs;
      if (lastSweep === 0) {
        const [mark] = readMark ? await store.query<{ at: number | string }>(readMark, [markName]) : [];
        since = mark ? Math.min(Number(mark.at), started) - startLookBackMs : 0;
      }
      await options.collect(since);
      lastSweep = started;
      sweepNow = false;
      if (writeMark) await store.query(writeMark, [markName, started]);
    }
    const room = maxSending - sending.size;
    if (room <= 0) return;
    const now = Date.now();
    // One still being sent here is not due again, even past its claim (a slow record).
    const due = (await store.query<{ id: string }>(dueIds, [now, room + sending.size]))
      .filter(({ id }) => !sending.has(id))
      .slice(0, room);
    if (due.length === 0) return;
    // Claimed by moving their next attempt past the send's timeout.
    const claimedUntil = Date.now() + timeoutMs + 5000;
    const claimed = await store.query<DeliveryRow>(claimIds(due.length), [
      claimedUntil,
      now,
      ...due.map(({ id }) => id),
    ]);
    for (const delivery of claimed) sendAndRecord(delivery, claimedUntil);
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
      await Promise.all(inFlight);
    },
  };
};

export type DeliveryDispatcher = ReturnType<typeof createDeliveryDispatcher>;

/** Subscribes to the end of jobs an adapter made. */
export const onJobsOf =
  (jobs: { onFinished(listener: (job: Job) => void): () => void }, adapter: string) => (heard: (job: Job) => void) =>
    jobs.onFinished((job) => {
      // A job put back in the queue (a retry, a run cut short by a shutdown) has not ended.
      if (job.adapter === adapter && isFinal(job.state)) heard(job);
    });
