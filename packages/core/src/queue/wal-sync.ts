import { open, type FileHandle } from 'node:fs/promises';

export interface WalSync {
  /** Notes a commit (or any write) made by this process. */
  wrote(): void;
  /** Resolves once every write noted so far is on disk. */
  sync(): Promise<void>;
}

/**
 * fdatasync of a SQLite WAL file in libuv's thread pool, so the event loop keeps serving while
 * the disk flushes. Writes are counted: a sync covers the writes noted before it started, so a
 * caller joins the sync under way when that one started after its write, and otherwise the next
 * one, which all callers waiting at that moment share. N waiting commits cost one or two syncs.
 */
export const createWalSync = (walPath: string): WalSync => {
  let writes = 0;
  let handle: FileHandle | undefined;
  let current: { covers: number; done: Promise<void> } | undefined;
  let next: Promise<void> | undefined;

  const flush = async (): Promise<void> => {
    try {
      handle ??= await open(walPath, 'r');
    } catch (error) {
      // No WAL (nothing written since a checkpoint removed it): nothing to flush.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    await handle.datasync();
    // SQLite deletes the WAL when its last connection closes, and a new one is a new file: a
    // sync of the old one would cover nothing. (An fstat in the thread pool, off the event loop.)
    if ((await handle.stat()).nlink === 0) {
      const stale = handle;
      handle = undefined;
      await stale.close();
      return flush();
    }
  };

  const start = (): Promise<void> => {
    const done = flush().finally(() => {
      if (current?.done === done) current = undefined;
    });
    current = { covers: writes, done };
    return done;
  };

  return {
    wrote() {
      writes += 1;
    },
    sync() {
      if (current === undefined) return start();
      if (current.covers >= writes) return current.done;
      next ??= current.done
        .catch(() => undefined)
        .then(() => {
          next = undefined;
          return start();
        });
      return next;
    },
  };
};
