import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createWalSync } from './wal-sync.js';

const dir = mkdtempSync(join(tmpdir(), 'botgate-wal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('createWalSync', () => {
  it('resolves every caller, those that arrive during a sync through the next one', async () => {
    const path = join(dir, 'a.sqlite-wal');
    writeFileSync(path, 'frames');
    const wal = createWalSync(path);
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
    const wal = createWalSync(join(dir, 'missing.sqlite-wal'));
    wal.wrote();
    await expect(wal.sync()).resolves.toBeUndefined();
  });
});
