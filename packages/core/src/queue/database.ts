import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import knexFactory, { type Knex } from 'knex';
import type { Logger } from '../logger.js';
import { createWalSync, type WalSync } from './wal-sync.js';
import { emptyWal, sqliteBusyTimeoutMs } from './empty-wal.js';
import { pgQuery } from './pg-query.js';

export type DatabaseConfig =
  | {
      client: 'sqlite';
      filename: string;
      /**
       * SQLite's `synchronous` in WAL mode. `full` makes every answered trigger survive power loss;
       * `normal` survives a crashed or killed process only, and commits about four times faster.
       * @default 'full'
       */
      synchronous?: 'full' | 'normal';
    }
  | {
      client: 'pg';
      connectionString: string;
      /** Connections this node keeps at most. @default 10 */
      poolSize?: number;
    };

export type Database = Knex;
/** A transaction of the queue's database (adapters write their rows in the job's). */
export type Transaction = Knex.Transaction;

interface SqliteStatement {
  readonly: boolean;
  /** Returns rows (a SELECT, or a write with RETURNING). */
  reader: boolean;
  run(...args: unknown[]): unknown;
  all(...args: unknown[]): unknown;
}

interface SqliteConnection {
  inTransaction: boolean;
  open: boolean;
  pragma(sql: string): unknown;
  prepare(sql: string): SqliteStatement;
}

/**
 * knex prepares every statement anew, and compiling SQL was a tenth of a trigger's CPU time; the
 * queue's statements are few and their text repeats, so each is compiled once per connection.
 * Safe because knex runs a statement to its end (`all`/`run`) before the next one starts.
 * `onCommit` hears of every write the moment it is committed (an autocommit statement, or a
 * COMMIT), whoever ran it: knex, `sql()`, a transaction's end.
 */
export const cacheStatements = (connection: SqliteConnection, onCommit: () => void, size = 1000): void => {
  const prepare = connection.prepare.bind(connection);
  const statements = new Map<string, SqliteStatement>();
  const noteCommit = (statement: SqliteStatement, method: 'run' | 'all') => {
    const call = statement[method].bind(statement);
    statement[method] = (...args: unknown[]) => {
      const result = call(...args);
      if (!connection.inTransaction) onCommit();
      return result;
    };
  };
  connection.prepare = (sql: string) => {
    let statement = statements.get(sql);
    if (statement === undefined) {
      statement = prepare(sql);
      // SQLite counts COMMIT as read-only (it changes no table itself), yet it is the write that ends a transaction.
      if (!statement.readonly || /^\s*(commit|end)\b/i.test(sql)) {
        noteCommit(statement, 'run');
        noteCommit(statement, 'all');
      }
      // Generated SQL (a list of n placeholders) could grow the cache without end; drop the oldest.
      if (statements.size >= size) statements.delete(statements.keys().next().value as string);
      statements.set(sql, statement);
    }
    return statement;
  };
};

/**
 * knex's own messages, to the core's log at their levels, not to stderr with their stacks: the
 * CLI logs only errors there, and says what a failed connection means in one line of its own.
 */
const knexLog = (logger: Logger | undefined) => ({
  warn: (message: unknown) => logger?.warn({ knex: String(message) }, 'knex'),
  error: (message: unknown) => logger?.error({ knex: String(message) }, 'knex'),
  deprecate: (message: unknown) => logger?.debug({ knex: String(message) }, 'knex'),
  debug: (message: unknown) => logger?.debug({ knex: String(message) }, 'knex'),
});

export const createDatabase = (config: DatabaseConfig, logger?: Logger): Database => {
  if (config.client === 'pg') {
    return knexFactory({
      log: knexLog(logger),
      client: 'pg',
      connection: config.connectionString,
      pool: { min: 0, max: config.poolSize ?? 10 },
    });
  }
  mkdirSync(dirname(config.filename), { recursive: true });
  // `full`: every commit is noted, and reaches the disk moments after it without holding anyone
  // up; `durable()` waits for it where an answer depends on it.
  const wal =
    (config.synchronous ?? 'full') === 'full' ? createWalSync(`${config.filename}-wal`, () => emptyWal(db)) : undefined;
  // Commits nobody waits for (claims, heartbeats, real-time records) are flushed together a few
  // milliseconds later: an fdatasync per commit, two per real-time run, made the next commit's
  // WAL write wait for the disk on the event loop. `durable()` callers still flush at once.
  let flushTimer: NodeJS.Timeout | undefined;
  const onCommit = wal
    ? () => {
        wal.wrote();
        // Unref'd: closing the database checkpoints (and syncs) what is left anyway.
        flushTimer ??= setTimeout(() => {
          flushTimer = undefined;
          // A failure is not lost: the next sync recovers first (WalSync), and a write that waits
          // for it reports it, through the storage health that logs it once.
          void wal.sync().catch(() => undefined);
        }, backgroundFlushMs).unref();
      }
    : () => undefined;
  const writer: { connection?: SqliteConnection } = {};
  const db = knexFactory({
    log: knexLog(logger),
    client: 'better-sqlite3',
    connection: { filename: config.filename },
    useNullAsDefault: true,
    // better-sqlite3 is synchronous: one connection serialises this process's statements, and
    // more would only contend for SQLite's single writer lock.
    pool: {
      min: 1,
      max: 1,
      afterCreate: (connection: SqliteConnection, done: (error: Error | null, connection: unknown) => void) => {
        try {
          wal?.reopened();
          cacheStatements(connection, onCommit);
          connection.pragma('journal_mode = WAL');
          // FULL would fsync inside COMMIT, on the event loop (better-sqlite3 is synchronous): every
          // request waited for the disk. NORMAL commits without it; `durable()` then flushes the
          // WAL from the thread pool before a trigger is answered (decision 0006).
          connection.pragma('synchronous = NORMAL');
          // Other processes (the CLI, a second node) write to the same file; wait for their lock instead of failing.
          connection.pragma(`busy_timeout = ${sqliteBusyTimeoutMs}`);
          connection.pragma('foreign_keys = ON');
          // Lookups at 1M jobs touch index and table pages all over the file: map it rather than
          // copy each page into SQLite's cache. A connection's own commits keep its mapping.
          connection.pragma(`mmap_size = ${mmapBytes}`);
          writer.connection = connection;
          done(null, connection);
        } catch (error) {
          done(error as Error, connection);
        }
      },
    },
  });
  if (wal) walSyncs.set(db, wal);
  writers.set(db, writer);
  return db;
};

const writers = new WeakMap<Database, { connection?: SqliteConnection }>();

/**
 * How much of the SQLite file the write connection maps into memory: as much as SQLite allows
 * (it clamps the figure to its own ceiling, 2 GiB less 64 KiB). With 256 MiB, a 1M-job file
 * (467 MB) was read past its first 256 MiB a page at a time, and Robocorp's status at 1M jobs
 * answered at 0.86× its 1k rate, 0.93–0.96× mapped whole. Mapped pages cost address space, not
 * memory: the kernel's page cache holds them either way.
 */
const mmapBytes = 2 ** 31;

/**
 * The SQLite file's one connection when no transaction is open on it, for a read that cannot wait:
 * better-sqlite3 runs a statement to its end synchronously, so between two turns of the event loop
 * the connection is idle unless a transaction spans them (then `inTransaction`, and a read on it
 * would see that transaction's uncommitted rows). A second, read-only connection sees the writer's
 * commits too, but SQLite empties its page cache and unmaps the file on each of them: a lookup cost
 * 17 µs there right after a commit, 4 µs on the connection that made it (`bench/sqlite-reads.mjs`).
 */
export const idleWriterOf = (db: Database): SqliteConnection | undefined => {
  const connection = writers.get(db)?.connection;
  return connection?.open && !connection.inTransaction ? connection : undefined;
};

/**
 * The SQLite file's `data_version` as its write connection sees it, when that connection is idle
 * (else undefined): it moves only when another connection commits to the file (the CLI, another
 * process), never for this connection's own commits. It is a read like any other: 4 µs on a
 * connection that has not just committed, 20 µs right after a commit on this VM (a read
 * transaction's start, the WAL index and its locks), where a point lookup costs that and its pages.
 */
export const othersDataVersion = (db: Database): number | undefined => {
  const writer = idleWriterOf(db);
  if (!writer) return undefined;
  const [row] = writer.prepare('PRAGMA data_version').all() as Array<{ data_version: number }>;
  return row?.data_version;
};

const walSyncs = new WeakMap<Database, WalSync>();

/** How long a commit nobody waits for may stay in the OS's cache before its WAL is flushed. */
const backgroundFlushMs = 5;

/**
 * Resolves once everything this process committed so far is on disk: for SQLite with
 * `synchronous: full`, a WAL fdatasync off the event loop that started after the last commit
 * (shared by every caller waiting at the same time); for `normal` and PostgreSQL (which syncs at
 * its COMMIT) at once.
 */
export const durable = (db: Database): Promise<void> => walSyncs.get(db)?.sync() ?? Promise.resolve();

export const isSqlite = (db: Database | Knex.Transaction): boolean => db.client.config.client === 'better-sqlite3';

/** Rows of a raw statement: knex hands them over as an array on SQLite, as `result.rows` on PostgreSQL. */
export const rawRows = async <Row>(
  db: Database | Knex.Transaction,
  sql: string,
  bindings: readonly unknown[],
): Promise<Row[]> => {
  if (!isSqlite(db)) return pgQuery<Row>(db, sql, bindings);
  const result = (await db.raw(sql, bindings as Knex.RawBinding[])) as Row[] | { rows: Row[] };
  return Array.isArray(result) ? result : result.rows;
};

/**
 * Serialises transactions that take the same key until they commit: an advisory lock on
 * PostgreSQL; nothing on SQLite, whose single writer already serialises every write transaction.
 */
export const lockKey = async (tx: Knex.Transaction, key: string): Promise<void> => {
  if (isSqlite(tx)) return;
  // Held until the transaction ends: a batch of jobs (group commit) asks for it once.
  let held = heldLocks.get(tx);
  if (held?.has(key)) return;
  await rawRows(tx, 'SELECT pg_advisory_xact_lock(hashtextextended(?, 0))', [key]);
  if (!held) heldLocks.set(tx, (held = new Set()));
  held.add(key);
};

const heldLocks = new WeakMap<Knex.Transaction, Set<string>>();
