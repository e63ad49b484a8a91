import BetterSqlite3 from 'better-sqlite3';
import { cacheStatements, type Database } from './database.js';

export interface ReaderStatement {
  readonly: boolean;
  reader: boolean;
  all(bindings: unknown[]): unknown[];
}

interface Reader {
  prepare(sql: string): ReaderStatement;
  close(): void;
}

const readers = new WeakMap<Database, Reader | null>();

/**
 * A second, read-only connection to a SQLite file, for the lookups that run outside a
 * transaction (a job's status, a key's record) while one holds the writer. In WAL mode a reader
 * sees every committed transaction and never waits for the writer, so a status call neither
 * queues behind a trigger batch holding the one write connection nor pays knex's pool for it.
 * Opened at the first lookup (after migrations made the file); none for an in-memory database,
 * which another connection cannot see.
 */
export const readerOf = (db: Database): Reader | null => {
  let reader = readers.get(db);
  if (reader !== undefined) return reader;
  const { filename } = db.client.config.connection as { filename: string };
  if (filename === '' || filename === ':memory:' || filename.startsWith('file::memory:')) reader = null;
  else {
    const connection = new BetterSqlite3(filename, { readonly: true, fileMustExist: true });
    connection.pragma('busy_timeout = 5000');
    // Not memory-mapped: it reads while the writer commits, and SQLite unmaps a reader's file at
    // every commit of another connection (a lookup 17 µs mapped, 6 µs not: bench/sqlite-reads.mjs).
    cacheStatements(connection as never, () => undefined);
    reader = connection as unknown as Reader;
  }
  readers.set(db, reader);
  return reader;
};

/** Closes the database's reader, if it has one (before the database itself). */
export const closeReader = (db: Database): void => {
  readers.get(db)?.close();
  readers.delete(db);
};
