import { mkdtempSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createWalSync } from './wal-sync.js';

const dir = mkdtempSync(join(tmpdir(), 'botgate-wal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const noRecovery = () => Promise.reject(new Error('no flush failed, so nothing is recovered'));

describe('createWalSync', () => {
  it('resolves every caller, those that arrive during a sync through the next one', async () => {
    const path = join(dir, 'a.sqlite-wal');
    writeFileSync(path, 'frames');
    const wal = createWalSync(path, noRecovery);
    wal.wrote();
    const first = wal.sync();
    wal.wrote();
    const [a, b, c] = [first, wal.sync(), wal.sync()];
    // Written after `first` started: they share one later sync, not `first`.
    expect(b).not.toBe(a);
    expect(c).toBe(b);
    await expect(Promise.all([a, b, c])).resolves.toEqual([undefined, undefined, undefined]);
    // Nothing written since: joins the sync under way, if any.
    wal.wrote();
    const d = wal.sync();
    expect(wal.sync()).toBe(d);
    await d;
  });

  it('has nothing to flush when SQLite has no WAL file', async () => {
    const wal = createWalSync(join(dir, 'missing.sqlite-wal'), noRecovery);
    wal.wrote();
    await expect(wal.sync()).resolves.toBeUndefined();
  });

  it('starts a second flush at once for a write made during one, and past two makes the callers share the next', async () => {
    const path = join(dir, 'b.sqlite-wal');
    writeFileSync(path, 'frames');
    const held: Array<() => void> = [];
    const wal = createWalSync(path, noRecovery, (_fd, callback) => held.push(() => callback(null)));
    const settled = new Set<Promise<void>>();
    const track = (promise: Promise<void>) => (void promise.then(() => settled.add(promise)), promise);
    const turn = () => new Promise((resolve) => setTimeout(resolve, 5));

    wal.wrote();
    const first = track(wal.sync());
    await turn();
    wal.wrote();
    const second = track(wal.sync());
    await turn();
    expect(held).toHaveLength(2);
    wal.wrote();
    const third = track(wal.sync());
    expect(wal.sync()).toBe(third);
    await turn();
    expect(held).toHaveLength(2);

    held.shift()?.();
    await turn();
    expect(settled.has(first)).toBe(true);
    expect(settled.has(second) || settled.has(third)).toBe(false);
    // The first's end lets the third start, covering every write so far.
    expect(held).toHaveLength(2);
    held.splice(0).forEach((release) => release());
    await Promise.all([second, third]);
  });

  it('gives each flush under way a descriptor of its own, and keeps them for the next flushes', async () => {
    const path = join(dir, 'd.sqlite-wal');
    writeFileSync(path, 'frames');
    const used: number[] = [];
    const held: Array<() => void> = [];
    const wal = createWalSync(path, noRecovery, (fd, callback) => {
      used.push(fd);
      held.push(() => callback(null));
    });
    const turn = () => new Promise((resolve) => setTimeout(resolve, 5));
    for (let round = 0; round < 3; round++) {
      wal.wrote();
      const first = wal.sync();
      wal.wrote();
      const second = wal.sync();
      await turn();
      expect(held).toHaveLength(2);
      held.splice(0).forEach((release) => release());
      await Promise.all([first, second]);
    }
    // Two at once never share one: a writeback error is reported once to each open file description.
    expect(new Set(used.slice(0, 2)).size).toBe(2);
    expect(new Set(used).size).toBe(2);
  });

  it('runs a flush alone after SQLite reopened its connection, so the old descriptor is closed unused', async () => {
    const path = join(dir, 'c.sqlite-wal');
    writeFileSync(path, 'frames');
    const held: Array<() => void> = [];
    const wal = createWalSync(path, noRecovery, (_fd, callback) => held.push(() => callback(null)));
    const turn = () => new Promise((resolve) => setTimeout(resolve, 5));
    wal.wrote();
    const first = wal.sync();
    await turn();
    wal.reopened();
    wal.wrote();
    const second = wal.sync();
    await turn();
    expect(held).toHaveLength(1);
    held.shift()?.();
    await first;
    await turn();
    expect(held).toHaveLength(1);
    held.shift()?.();
    await second;
  });

  it('trusts no flush after one failed, until a recovery succeeds, and then flushes on fresh descriptors', async () => {
    const path = join(dir, 'e.sqlite-wal');
    writeFileSync(path, 'frames');
    // What each flush's descriptor reads from where it stands: a description read before stands past
    // what it read (a descriptor's number alone says nothing, as a closed one's number is reused).
    const used: string[] = [];
    let failNext = true;
    const recoveries: Array<'failed' | 'done'> = [];
    let recoveryFails = true;
    const wal = createWalSync(
      path,
      async () => {
        recoveries.push(recoveryFails ? 'failed' : 'done');
        if (recoveryFails) throw Object.assign(new Error('checkpoint: disk I/O error'), { code: 'SQLITE_IOERR' });
      },
      (fd, callback) => {
        const read = Buffer.alloc(3);
        used.push(read.subarray(0, readSync(fd, read, 0, 3, null)).toString());
        const error = failNext ? Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }) : null;
        failNext = false;
        callback(error);
      },
    );
    wal.wrote();
    await expect(wal.sync()).rejects.toMatchObject({ code: 'EIO' });
    // The disk's next fdatasync would succeed, and it must not be believed.
    wal.wrote();
    await expect(wal.sync()).rejects.toMatchObject({ code: 'SQLITE_IOERR' });
    await expect(wal.sync()).rejects.toMatchObject({ code: 'SQLITE_IOERR' });
    expect(used).toHaveLength(1);
    recoveryFails = false;
    await expect(wal.sync()).resolves.toBeUndefined();
    expect(recoveries).toEqual(['failed', 'failed', 'done']);
    wal.wrote();
    await expect(wal.sync()).resolves.toBeUndefined();
    expect(recoveries).toHaveLength(3);
    expect(used).toHaveLength(2);
    // A new open file description: the old one may still hold the error's report.
    expect(used).toEqual(['fra', 'fra']);
  });

  it('does not believe a flush that succeeds after one beside it failed', async () => {
    const path = join(dir, 'f.sqlite-wal');
    writeFileSync(path, 'frames');
    const held: Array<(error: NodeJS.ErrnoException | null) => void> = [];
    const wal = createWalSync(path, noRecovery, (_fd, callback) => held.push(callback));
    const turn = () => new Promise((resolve) => setTimeout(resolve, 5));
    wal.wrote();
    const first = wal.sync();
    await turn();
    wal.wrote();
    const second = wal.sync();
    await turn();
    expect(held).toHaveLength(2);
    const [failFirst, passSecond] = held as [(error: NodeJS.ErrnoException | null) => void, (error: null) => void];
    failFirst(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }));
    // Its descriptor may have been opened after the error was raised, and so never be told of it.
    passSecond(null);
    await expect(first).rejects.toMatchObject({ code: 'EIO' });
    await expect(second).rejects.toMatchObject({ code: 'EIO' });
  });
});
