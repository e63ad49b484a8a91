import BetterSqlite from 'better-sqlite3';
import type pg from 'pg';
import { isSqlite, type Database } from './database.js';

/** One name for every botgate migration run on a database: core's and every adapter's share it. */
const lockName = 'botgate:migrations';
const pollMs = 50;

/**
 * Runs `run` while no other process migrates the same database. Nodes started together all
 * wait here; the first migrates and the rest then find nothing to do. Without it they created
 * knex's bookkeeping tables at the same moment, and all but one died of a duplicate table or of
 * knex's "Migration table is already locked". The lock is held by whoever migrates for as long
 * as it lives, and its process ending releases it, so a node killed mid-migration leaves none behind.
 */
export const withMigrationLock = async <T>(db: Database, run: () => Promise<T>): Promise<T> => {
  if (!isSqlite(db)) return withAdvisoryLock(db, run);
  const { filename } = db.client.config.connection as { filename: string };
  // An in-memory database is this connection's alone: nobody else can migrate it.
  if (filename === ':memory:' || filename === '') return run();
  return withFileLock(`${filename}.migrate-lock`, run);
};

/**
 * PostgreSQL: a session advisory lock, on a connection of its own. Not a pool connection: the
 * pool can be a single one (`poolSize: 1`), which knex's migrator then needs while the lock is
 * held. Ending the session releases the lock, so there is no unlock to forget.
 */
const withAdvisoryLock = async <T>(db: Database, run: () => Promise<T>): Promise<T> => {
  // Loaded here, not at the top: a node on SQLite never needs the PostgreSQL driver (cold start).
  const { default: driver } = await import('pg');
  const client = new driver.Client(db.client.config.connection as string | pg.ClientConfig);
  // A connection dropped while migrating would otherwise be an uncaught 'error' event and kill
  // the process; the migration itself runs on knex's connections and reports its own failures.
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [lockName]);
    return await run();
  } finally {
    await client.end().catch(() => {});
  }
};

/**
 * SQLite: an exclusive transaction on a small file beside the database, SQLite's own write lock
 * shared by every process on that file. Not the database itself: knex's single connection runs
 * the migrations in transactions of their own, so it cannot also sit inside an outer one. The
 * lock is tried without waiting and retried after a pause, not taken with a busy timeout:
 * better-sqlite3 waits synchronously, and a second core in the same process (tests, an
 * embedding app) would then block the event loop the first needs to finish and let go.
 */
const withFileLock = async <T>(path: string, run: () => Promise<T>): Promise<T> => {
  const lock = new BetterSqlite(path, { timeout: 0 });
  try {
    for (;;) {
      try {
        lock.exec('BEGIN EXCLUSIVE');
        break;
      } catch (error) {
        if ((error as { code?: string }).code !== 'SQLITE_BUSY') throw error;
        await new Promise((resolve) => setTimeout(resolve, pollMs));
      }
    }
    return await run();
  } finally {
    // Closing rolls the empty transaction back and lets the file go. The file stays: removing it
    // while another process has it open would give the next one a different file to lock.
    lock.close();
  }
};
