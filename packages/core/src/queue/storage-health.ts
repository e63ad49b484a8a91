import { mkdir, open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { BotgateError } from '../errors.js';
import type { Logger } from '../logger.js';
import { durable, type Database } from './database.js';
import { sql } from './sql.js';
import { storageFailureOf } from './storage-error.js';

/**
 * Whether this node can write: from the first failed write (database or data folder) until a
 * write succeeds again, it is not ready (`/readyz` answers 503), so a load balancer sends its
 * traffic elsewhere. While failing, each readiness check tries a small write of each kind, so the
 * node comes back on its own once space is freed, even with no traffic left to write.
 */
export const createStorageHealth = (db: Database, dataDir: string, nodeId: string, logger: Logger) => {
  let failure: BotgateError | undefined;
  // Said once when writes start failing and once when they work again, not at every refusal.
  const set = (next: BotgateError | undefined) => {
    if (next && !failure)
      logger.error({ err: next.cause ?? next }, `${next.message}; this node is unready until a write succeeds`);
    if (!next && failure) logger.info({ was: failure.message }, 'writes succeed again; this node is ready');
    failure = next;
  };

  const probe = async (): Promise<void> => {
    await sql(
      db,
      'INSERT INTO botgate_write_probes (node_id, at) VALUES (?, ?) ON CONFLICT (node_id) DO UPDATE SET at = excluded.at',
      [nodeId, Date.now()],
    );
    // Node ids are new at every start: the row goes again, or the table would grow with restarts.
    await sql(db, 'DELETE FROM botgate_write_probes WHERE node_id = ?', [nodeId]);
    await durable(db);
    await mkdir(dataDir, { recursive: true });
    const path = join(dataDir, `.write-probe-${process.pid}`);
    const file = await open(path, 'w');
    try {
      await file.writeFile('ok');
      await file.datasync();
    } finally {
      await file.close();
      await rm(path, { force: true });
    }
  };

  const health = {
    /** The failure that made this node unready, if any. */
    get failure(): BotgateError | undefined {
      return failure;
    },
    /** Runs a write; a storage failure marks the node unready and is thrown as core's error. */
    async guard<T>(write: () => Promise<T>): Promise<T> {
      try {
        const result = await write();
        set(undefined);
        return result;
      } catch (error) {
        throw health.noteFailure(error);
      }
    },
    /** Marks the node unready when `error` is a storage failure; answers it as core's error (or as it was). */
    noteFailure(error: unknown): unknown {
      const storage = storageFailureOf(error);
      if (!storage) return error;
      set(storage);
      return storage;
    },
    /** Ready to write: at once when nothing failed; otherwise after a successful probe write. */
    async check(): Promise<BotgateError | undefined> {
      if (!failure) return undefined;
      try {
        await probe();
        set(undefined);
      } catch (error) {
        set(storageFailureOf(error) ?? failure);
      }
      return failure;
    },
  };
  return health;
};

export type StorageHealth = ReturnType<typeof createStorageHealth>;
