import type { Knex } from 'knex';
import { idleWriterOf, isSqlite, rawRows, type Database } from './database.js';
import { readerOf } from './sqlite-reader.js';
import { onPgTransaction, pgTransaction } from './pg-query.js';

interface SqliteStatement {
  reader: boolean;
  all(bindings: unknown[]): unknown[];
  run(bindings: unknown[]): unknown;
}

interface SqliteConnection {
  prepare(sql: string): SqliteStatement;
}

// better-sqlite3 binds numbers, strings, bigints, buffers and null only.
const sqliteBinding = (value: unknown): unknown =>
  typeof value === 'boolean'
    ? Number(value)
    : value instanceof Date
      ? value.getTime()
      : value === undefined
        ? null
        : value;

const onConnection = (connection: SqliteConnection, sql: string, bindings: readonly unknown[]): unknown[] => {
  const statement = connection.prepare(sql);
  const values = bindings.map(sqliteBinding);
  if (statement.reader) return statement.all(values);
  statement.run(values);
  return [];
};

/**
 * One statement of the hot paths (a trigger's insert, a status lookup), written in SQL that
 * both databases read (`?` placeholders). On SQLite it runs straight on better-sqlite3's
 * connection, prepared once: knex's query builder and runner cost more than the statement itself
 * (≈40 µs a query, most of a trigger's database time). On PostgreSQL it runs through pg itself,
 * prepared once per connection (`pgQuery`). Inside a transaction it runs on that transaction's
 * connection.
 */
export const sql = async <Row>(
  db: Database | Knex.Transaction,
  text: string,
  bindings: readonly unknown[] = [],
): Promise<Row[]> => {
  if (!isSqlite(db)) return rawRows<Row>(db, text, bindings);
  if (!db.isTransaction) {
    // A lookup outside a transaction never waits for the writer: it reads on the connection when
    // no transaction holds it, else on the read-only one.
    const statement = (idleWriterOf(db) ?? readerOf(db))?.prepare(text);
    if (statement?.readonly && statement.reader) return statement.all(bindings.map(sqliteBinding)) as Row[];
  }
  return onSqliteConnection(db, async (connection) => onConnection(connection, text, bindings) as Row[]);
};

/**
 * The one SQLite connection, taken from knex's pool and given back, through the pool API knex's
 * `Client` declares (`acquireConnection`, `releaseConnection`): nothing else runs on it meanwhile.
 */
const onSqliteConnection = async <T>(
  db: Database | Knex.Transaction,
  use: (connection: SqliteConnection & { inTransaction: boolean }) => Promise<T>,
): Promise<T> => {
  const connection = (await db.client.acquireConnection()) as SqliteConnection & { inTransaction: boolean };
  try {
    return await use(connection);
  } finally {
    await db.client.releaseConnection(connection);
  }
};

/** A statement run inside `transaction`: `?` placeholders, the rows it returns. */
export type Query = <Row>(text: string, bindings?: readonly unknown[]) => Promise<Row[]>;

/**
 * One transaction of raw statements. On SQLite it holds the one connection and runs BEGIN, the
 * statements and COMMIT straight on better-sqlite3, prepared once: a knex transaction cost a
 * quarter of a millisecond of a job's end, four times its statements. Nothing else can run on
 * the connection meanwhile (the pool has one, and it is ours until released). On PostgreSQL,
 * the same on a connection of the pool, through pg itself (`pgTransaction`).
 */
export const transaction = async <T>(db: Database, work: (query: Query) => Promise<T>): Promise<T> => {
  if (!isSqlite(db)) return pgTransaction(db, work);
  return onSqliteTransaction(db, (connection) =>
    work(
      async <Row>(text: string, bindings: readonly unknown[] = []) => onConnection(connection, text, bindings) as Row[],
    ),
  );
};

/** BEGIN, `work` on the one connection, COMMIT (ROLLBACK if it throws). */
const onSqliteTransaction = <T>(
  db: Database,
  work: (connection: SqliteConnection & { inTransaction: boolean }) => Promise<T>,
): Promise<T> =>
  onSqliteConnection(db, async (connection) => {
    onConnection(connection, 'BEGIN', []);
    try {
      const result = await work(connection);
      onConnection(connection, 'COMMIT', []);
      return result;
    } catch (error) {
      if (connection.inTransaction) onConnection(connection, 'ROLLBACK', []);
      throw error;
    }
  });

const boundKnexes = new WeakMap<object, Knex>();

/**
 * knex on one connection: its queries run on that connection, never one from the pool. Made once
 * per connection: knex's own transaction makes a knex instance per transaction, and a transaction
 * of one INSERT cost 166 µs of CPU through knex on SQLite, 31 µs so (`bench/pg-statement.mjs`).
 */
const knexOn = (db: Database, connection: object): Knex => {
  let bound = boundKnexes.get(connection);
  if (!bound) {
    bound = db.withUserParams({});
    bound.client.acquireConnection = async () => connection;
    bound.client.releaseConnection = async () => undefined;
    boundKnexes.set(connection, bound);
  }
  return bound;
};

/**
 * A transaction as knex's `db.transaction(work)` gives one (`tx(table)` builders, `tx.raw`, and
 * `sql`, `rawRows`, `StoreTransaction` on it), begun and ended here. Each transaction is a new
 * object, for what is kept per transaction (rows inserted at the flush, locks held, a sequence's
 * count); the knex behind it is its connection's.
 */
export const boundTransaction = async <T>(db: Database, work: (tx: Knex.Transaction) => Promise<T>): Promise<T> => {
  const txOn = (connection: object): Knex.Transaction => {
    const bound = knexOn(db, connection);
    return Object.assign((table: string) => bound(table), {
      client: bound.client,
      isTransaction: true,
      raw: bound.raw.bind(bound),
    }) as unknown as Knex.Transaction;
  };
  if (!isSqlite(db)) return onPgTransaction(db, (connection) => work(txOn(connection)));
  return onSqliteTransaction(db, (connection) => work(txOn(connection)));
};
