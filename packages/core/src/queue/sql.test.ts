import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDatabase, idleWriterOf, type Database } from './database.js';
import { sql, transaction } from './sql.js';
import { closeReader } from './sqlite-reader.js';

const opened: { db: Database; dir: string }[] = [];
const open = async (): Promise<Database> => {
  const dir = mkdtempSync(join(tmpdir(), 'botgate-sql-'));
  const db = createDatabase({ client: 'sqlite', filename: join(dir, 'db.sqlite') });
  opened.push({ db, dir });
  await db.raw('CREATE TABLE t (a INTEGER)');
  return db;
};

afterEach(async () => {
  for (const { db, dir } of opened.splice(0)) {
    closeReader(db);
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
});

describe('sql on SQLite', () => {
  it('answers a lookup while a transaction holds the write connection, from what was committed before it', async () => {
    const db = await open();
    await sql(db, 'INSERT INTO t (a) VALUES (?)', [1]);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const order: string[] = [];
    const writing = transaction(db, async (query) => {
      await query('INSERT INTO t (a) VALUES (?)', [2]);
      order.push('inserted');
      await held;
      order.push('committing');
    });
    await expect.poll(() => order).toEqual(['inserted']);
    // The one write connection is the transaction's until it commits; the lookup does not wait for it.
    expect(await sql<{ a: number }>(db, 'SELECT a FROM t ORDER BY a')).toEqual([{ a: 1 }]);
    order.push('looked up');
    release();
    await writing;
    expect(order).toEqual(['inserted', 'looked up', 'committing']);
    // A commit is seen by the next lookup at once.
    expect(await sql<{ a: number }>(db, 'SELECT a FROM t ORDER BY a')).toEqual([{ a: 1 }, { a: 2 }]);
  });

  it('reads on the write connection itself while no transaction holds it', async () => {
    const db = await open();
    await sql(db, 'INSERT INTO t (a) VALUES (?)', [1]);
    expect(idleWriterOf(db)).toBeDefined();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let inserted = false;
    const writing = transaction(db, async (query) => {
      await query('INSERT INTO t (a) VALUES (?)', [2]);
      inserted = true;
      await held;
    });
    await expect.poll(() => inserted).toBe(true);
    expect(idleWriterOf(db)).toBeUndefined();
    release();
    await writing;
    expect(idleWriterOf(db)).toBeDefined();
    expect(await sql<{ a: number }>(db, 'SELECT a FROM t ORDER BY a')).toEqual([{ a: 1 }, { a: 2 }]);
  });

  it('runs writes, and statements that return rows as they write, on the write connection', async () => {
    const db = await open();
    expect(await sql<{ a: number }>(db, 'INSERT INTO t (a) VALUES (?) RETURNING a', [5])).toEqual([{ a: 5 }]);
    await sql(db, 'UPDATE t SET a = a + 1');
    expect(await sql<{ a: number }>(db, 'SELECT a FROM t')).toEqual([{ a: 6 }]);
  });
});
