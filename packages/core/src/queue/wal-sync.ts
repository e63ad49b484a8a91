import { close, fdatasync, open } from 'node:fs';

export interface WalSync {
  /** Notes a commit (or any write) made by this process. */
  wrote(): void;
  /** SQLite opened a connection for this process: the WAL it writes to may be a new file. */
  reopened(): void;
  /**
   * Resolves once every write noted so far is on disk. After a flush failed, no later flush is
   * trusted: each sync runs `recover` instead, until it succeeds.
   */
  sync(): Promise<void>;
}

/** How many flushes may run at once (see `createWalSync`). */
const maxInFlight = 2;

type SyncFd = (fd: number, callback: (error: NodeJS.ErrnoException | null) => void) => void;

/**
 * fdatasync of a SQLite WAL file in libuv's thread pool, so the event loop keeps serving while
 * the disk flushes. Writes are counted: a sync covers the writes noted before it started, so a
 * caller joins a sync under way when that one started after its write. Otherwise a second sync
 * starts at once beside it, and past two, the callers wait for one to end and then share the next.
 * On this VM an fdatasync took 0.24 ms alone; with two in flight each took 0.30 ms and the disk
 * made 6,600 a second instead of 4,100, so a commit made during a flush is on disk sooner than
 * after it (performance.md, item 50).
 *
 * The WAL is the same file for as long as this process keeps a connection open: SQLite deletes it
 * only when the last connection to the database closes (after checkpointing it into the database
 * file and syncing that), and a new connection then starts a new file. So the descriptors are kept
 * until the process opens a connection again (`reopened`), not checked with an fstat per sync (a
 * second trip through libuv's pool after every flush). Callbacks, not fs/promises: a FileHandle's
 * call cost the event loop 40–60 µs a sync here. `syncFd` is fdatasync but in tests.
 */
export const createWalSync = (walPath: string, recover: () => Promise<void>, syncFd: SyncFd = fdatasync): WalSync => {
  let writes = 0;
  let stale = false;
  // A failed fdatasync leaves the WAL with a hole on disk: Linux marks the pages it could not write
  // clean and reports the error once to each open file description, so the next fdatasync succeeds
  // though those frames never reached the disk. SQLite's recovery after a crash stops at the first
  // frame whose checksum fails, so every commit after the hole, answered as durable, would go too.
  // Until `recover` has copied the WAL (still in the page cache) into the database file and synced
  // it, no flush is trusted.
  let failed = false;
  let failures = 0;
  let lastFailure: NodeJS.ErrnoException | undefined;
  // Each flush under way has a descriptor of its own: Linux reports a writeback error once to
  // each open file description, so two flushes sharing one could see a single report between
  // them, and the other would answer that writes it may have lost are on disk.
  interface Lane {
    fd: number | undefined;
    flushing: { covers: number; done: Promise<void> } | undefined;
  }
  const lanes: Lane[] = Array.from({ length: maxInFlight }, () => ({ fd: undefined, flushing: undefined }));
  let waiting: Promise<void> | undefined;

  const flush = (lane: Lane): Promise<void> => {
    if (failed)
      return recover().then(() => {
        failed = false;
        // The old descriptors may each still hold the report of the error; fresh ones do not.
        stale = true;
      });
    // A failure beside this flush, once it has started, is not believed away by its success: a
    // descriptor opened after the error was raised is never told of it.
    const failuresBefore = failures;
    return new Promise((resolve, reject) => {
      const flushFd = (opened: number) =>
        syncFd(opened, (error) => {
          if (error) {
            failures += 1;
            failed = true;
            lastFailure = error;
          }
          if (failures === failuresBefore) return resolve();
          reject(error ?? lastFailure);
        });
      if (lane.fd !== undefined) return flushFd(lane.fd);
      open(walPath, 'r', (error, opened) => {
        // No WAL (nothing written since the last connection closed): nothing to flush.
        if (error) return error.code === 'ENOENT' ? resolve() : reject(error);
        lane.fd = opened;
        flushFd(opened);
      });
    });
  };

  const start = (lane: Lane): Promise<void> => {
    // Stale descriptors are closed only while no flush runs (see `sync`), so none is in use.
    if (stale) {
      for (const each of lanes) if (each.fd !== undefined) close(each.fd, () => undefined);
      for (const each of lanes) each.fd = undefined;
      stale = false;
    }
    const done = flush(lane).finally(() => {
      lane.flushing = undefined;
    });
    lane.flushing = { covers: writes, done };
    return done;
  };

  const sync = (): Promise<void> => {
    let free: Lane | undefined;
    let running = 0;
    for (const lane of lanes) {
      if (lane.flushing === undefined) free ??= lane;
      else if (lane.flushing.covers >= writes) return lane.flushing.done;
      else running += 1;
    }
    // A recovery, or the first flush on fresh descriptors, runs alone.
    if (free && (running === 0 || !(stale || failed))) return start(free);
    waiting ??= Promise.race(
      lanes.flatMap((lane) => (lane.flushing ? [lane.flushing.done.catch(() => undefined)] : [])),
    ).then(() => {
      waiting = undefined;
      return sync();
    });
    return waiting;
  };

  return {
    wrote() {
      writes += 1;
    },
    reopened() {
      stale = true;
    },
    sync,
  };
};
