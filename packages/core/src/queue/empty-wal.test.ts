import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createDatabase } from './database.js';
import { emptyWal } from './empty-wal.js';

const dir = mkdtempSync(join(tmpdir(), 'botgate-empty-wal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('emptyWal', () => {
  it('copies every commit into the database file and empties the WAL', async () => {
    const filename = join(dir, 'a.sqlite');
    const db = createDatabase({ client: 'sqlite', filename, synchronous: 'normal' });
    try {
      await db.raw('CREATE TABLE t (a INTEGER)');
      // Automatic checkpoints off, so the rows are in the WAL alone until emptyWal.
      await db.raw('PRAGMA wal_autocheckpoint = 0');
      for (let a = 0; a < 50; a++) await db.raw('INSERT INTO t (a) VALUES (?)', [a]);
      expect(statSync(`${filename}-wal`).size).toBeGreaterThan(0);

      await emptyWal(db);
      expect(statSync(`${filename}-wal`).size).toBe(0);
      // The database file alone, without its WAL, holds every row.
      copyFileSync(filename, join(dir, 'copy.sqlite'));
      const copy = new BetterSqlite3(join(dir, 'copy.sqlite'), { readonly: true });
      expect(copy.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 50 });
      copy.close();
      // The connection waits for other processes' locks again.
      expect(await db.raw('PRAGMA busy_timeout')).toEqual([{ timeout: 5000 }]);
    } finally {
      await db.destroy();
    }
  });

  it('fails without waiting while another connection reads the WAL, and succeeds once it is done', async () => {
    const filename = join(dir, 'b.sqlite');
    const db = createDatabase({ client: 'sqlite', filename, synchronous: 'normal' });
    const reader = new BetterSqlite3(filename);
    try {
      await db.raw('CREATE TABLE t (a INTEGER)');
      await db.raw('INSERT INTO t (a) VALUES (1)');
      reader.prepare('BEGIN').run();
      reader.prepare('SELECT count(*) FROM t').get();
      await db.raw('INSERT INTO t (a) VALUES (2)');

      const started = Date.now();
      await expect(emptyWal(db)).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
      expect(Date.now() - started).toBeLessThan(4000);
      expect(await db.raw('PRAGMA busy_timeout')).toEqual([{ timeout: 5000 }]);

      reader.prepare('COMMIT').run();
      await emptyWal(db);
      expect(statSync(`${filename}-wal`).size).toBe(0);
    } finally {
      reader.close();
      await db.destroy();
    }
  });
});
