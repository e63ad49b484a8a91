import { close, fdatasync, open } from 'node:fs';

export interface WalSync {
  /** Notes a commit (or any write) made by this process. */
  wrote(): void;
  /** SQLite opened a connection for this process: the WAL it writes to may be a new file. */
  reopened(): void;
  /** Resolves once every write noted so far is on disk. */
  sync(): Promise<void>;
}

/**
 * fdatasync of a SQLite WAL file in libuv's thread pool, so the event loop keeps serving while
 * the disk flushes. Writes are counted: a sync covers the writes noted before it started, so a
 * caller joins the sync under way when that one started after its write, and otherwise the next
 * one, which all callers waiting at that moment share. N waiting commits cost one or two syncs.
 *
 * The WAL is the same file for as long as this process keeps a connection open: SQLite deletes it
 * only when the last connection to the database closes (after checkpointing it into the database
 * file and syncing that), and a new connection then starts a new file. So the descriptor is kept
 * until the process opens a connection again (`reopened`), not checked with an fstat per sync (a
 * second trip through libuv's pool after every flush). Callbacks, not fs/promises: a FileHandle's
 * call cost the event loop 40–60 µs a sync here.
 */
export const createWalSync = (walPath: string): WalSync => {
  let writes = 0;
  let fd: number | undefined;
  let stale = false;
  let current: { covers: number; done: Promise<void> } | undefined;
  let next: Promise<void> | undefined;

  // Syncs run one at a time (`sync` chains them), so none is using the descriptor closed here.
  const flush = (): Promise<void> =>
    new Promise((resolve, reject) => {
      if (stale && fd !== undefined) {
        close(fd, () => undefined);
        fd = undefined;
      }
      stale = false;
      const flushFd = (opened: number) => fdatasync(opened, (error) => (error ? reject(error) : resolve()));
      if (fd !== undefined) return flushFd(fd);
      open(walPath, 'r', (error, opened) => {
        // No WAL (nothing written since the last connection closed): nothing to flush.
        if (error) return error.code === 'ENOENT' ? resolve() : reject(error);
        fd = opened;
        flushFd(opened);
      });
    });

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
    reopened() {
      stale = true;
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
