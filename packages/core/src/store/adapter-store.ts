import type { Knex } from 'knex';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { BotgateError } from '../errors.js';
import { lockKey, type Database } from '../queue/database.js';
import { findJobWithAttempts } from '../queue/job-queries.js';
import { sql } from '../queue/sql.js';
import type { Job, JobAttempt } from '../jobs/job.js';
import { flushInserts, insertLater } from './batched-inserts.js';
import { createRateLimiter, type RateLimiterOptions } from './rate-limiter.js';

/** Statements on an adapter's own tables. */
export interface StoreQueries {
  /**
   * One statement in SQL both databases read (`?` placeholders), answering its rows. On SQLite it
   * is prepared once and run straight on the driver: the hot paths' statements (a trigger's
   * insert, a status lookup) cost less than knex's builder would.
   */
  query<Row>(text: string, bindings?: readonly unknown[]): Promise<Row[]>;
  /** knex's query builder on one of the adapter's own tables (`name` or `name as alias`). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any, @typescript-eslint/no-empty-object-type -- knex's own row type bound and default
  table<Row extends {} = any>(name: string): Knex.QueryBuilder<Row, Row[]>;
}

/**
 * An adapter's statements inside one transaction: one it opened, or the job insert's
 * (`enqueueRecorded`'s `record`, retention's `removeJobRows`), so its rows commit or vanish with
 * the job's.
 */
export interface StoreTransaction extends StoreQueries {
  /** Holds `key` until the transaction ends, on every node: an advisory lock on PostgreSQL; SQLite's one writer already serialises. */
  lock(key: string): Promise<void>;
  /**
   * Inserts `row` into one of the adapter's tables just before the transaction commits, in one
   * statement with every other row of that table given so far: the rows of a whole group commit
   * (a trigger's run, its work item) cost a statement per table, not one per row, which on
   * PostgreSQL is a round trip each. Nothing in the transaction reads such a row before it commits,
   * and the row is read only then: a value set on it meanwhile is the one written. With
   * `replaceOn` (a unique key's columns), the row replaces the one with the same key.
   */
  insert(table: string, row: Record<string, unknown>, options?: { replaceOn?: readonly string[] }): void;
}

/**
 * What core gives an adapter of the database: its own tables (their names begin with the
 * adapter's name, `-` written `_`) and transactions over them. The dialects' differences stay in
 * core; core's own tables are reached only through core's functions (`core.jobs`).
 */
export interface AdapterStore extends StoreQueries {
  /** The adapter's table names begin with it: `local_api_` for `local-api`. */
  readonly prefix: string;
  transaction<T>(work: (tx: StoreTransaction) => Promise<T>): Promise<T>;
  /**
   * The job whose id `select` answers (a statement on the adapter's own tables selecting one
   * `job_id`: `SELECT job_id FROM local_api_jobs WHERE uuid = ? AND ms_unix_time = ?`) with every
   * run of it, first to last, read in one statement: a status lookup's whole read. With
   * `stampOf`, the same statement reads that change-stamp topic's stamp, for `StampedCache.get`:
   * the caller's credentials are then checked with no read of their own.
   */
  findJob(
    select: string,
    bindings?: readonly unknown[],
    options?: { stampOf?: string },
  ): Promise<{ job: Job; attempts: JobAttempt[]; stamp?: number } | undefined>;
  /** rate-limiter-flexible's counter on one of the adapter's tables, shared by every node (sign-in attempts). */
  rateLimiter(options: RateLimiterOptions): RateLimiterAbstract;
}

/** Core's side of a store: the view of a transaction core opened (the job insert, retention), one per transaction so a batch shares it. */
export interface JoinableStore extends AdapterStore {
  joined(tx: Knex.Transaction): StoreTransaction;
}

export const prefixOf = (adapter: string): string => `${adapter.replace(/-/g, '_')}_`;

export const createAdapterStore = (db: Database, adapter: string): JoinableStore => {
  const prefix = prefixOf(adapter);
  const own = (name: string): string => {
    if (!name.startsWith(prefix))
      throw new BotgateError(
        'INVALID_CONFIG',
        `adapter ${adapter} may use only its own tables (${prefix}…), not "${name}"`,
      );
    return name;
  };
  const views = new WeakMap<Knex.Transaction, StoreTransaction>();
  const joined = (tx: Knex.Transaction): StoreTransaction => {
    let view = views.get(tx);
    if (!view) {
      view = {
        query: (text, bindings) => sql(tx, text, bindings),
        table: (name) => tx(own(name)),
        lock: (key) => lockKey(tx, key),
        insert: (name, row, options) => insertLater(tx, own(name), row, options?.replaceOn),
      };
      views.set(tx, view);
    }
    return view;
  };
  return {
    prefix,
    query: (text, bindings) => sql(db, text, bindings),
    table: (name) => db(own(name)),
    transaction: (work) =>
      db.transaction(async (tx) => {
        const result = await work(joined(tx));
        await flushInserts(tx);
        return result;
      }),
    findJob: (select, bindings = [], options = {}) => findJobWithAttempts(db, select, bindings, options.stampOf),
    rateLimiter: (options) => createRateLimiter(db, { ...options, table: own(options.table) }),
    joined,
  };
};
