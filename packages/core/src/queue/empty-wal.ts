import type { Knex } from 'knex';
import { BotgateError } from '../errors.js';

interface CheckpointConnection {
  pragma(sql: string): unknown;
}

interface CheckpointResult {
  busy: number;
  log: number;
  checkpointed: number;
}

/** What the write connection waits for another process's lock before it fails (database.ts). */
export const sqliteBusyTimeoutMs = 5000;

/**
 * After a WAL flush failed (see `createWalSync`): every committed frame is copied from the WAL
 * into the database file, the file is synced, and the WAL is emptied, so the next commits start
 * it afresh instead of following a hole on disk. SQLite reads the frames through the OS's page
 * cache, where the pages the failed flush could not write are still held.
 *
 * It runs on the write connection, with nothing else on it, and does not wait for other
 * processes: their readers may hold frames of the WAL, and with the connection's busy timeout
 * the event loop would stand still meanwhile. Then it fails, and the next sync tries again.
 * SQLite's own descriptor of the WAL hears of the flush's error once, at the checkpoint's first
 * sync of it; so a checkpoint failing that way is tried a second time at once.
 */
export const emptyWal = async (db: Knex): Promise<void> => {
  const connection = (await db.client.acquireConnection()) as CheckpointConnection;
  try {
    connection.pragma('busy_timeout = 0');
    try {
      let result: CheckpointResult | undefined;
      try {
        result = checkpoint(connection);
      } catch (error) {
        if (!String((error as { code?: unknown }).code).startsWith('SQLITE_IOERR')) throw error;
        result = checkpoint(connection);
      }
      if (result.busy !== 0)
        throw new BotgateError(
          'STORAGE_UNAVAILABLE',
          'botgate cannot record this: a WAL flush failed, and the WAL cannot be emptied while another process reads it',
          { cause: 'SQLITE_BUSY' },
        );
    } finally {
      connection.pragma(`busy_timeout = ${sqliteBusyTimeoutMs}`);
    }
  } finally {
    await db.client.releaseConnection(connection);
  }
};

const checkpoint = (connection: CheckpointConnection): CheckpointResult =>
  (connection.pragma('wal_checkpoint(TRUNCATE)') as CheckpointResult[])[0] as CheckpointResult;
