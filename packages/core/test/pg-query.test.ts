import { afterEach, describe, expect, it } from 'vitest';
import { createDatabase, rawRows, type Database } from '../src/queue/database.js';
import { positioned } from '../src/queue/pg-query.js';
import { transaction } from '../src/queue/sql.js';
import { useDatabase } from './helpers.js';

const newDatabase = useDatabase();
let db: Database | undefined;

afterEach(async () => {
  await db?.destroy();
  db = undefined;
});

const open = async (): Promise<Database> => {
  const database = await newDatabase();
  db = createDatabase(database.config as NonNullable<typeof database.config>);
  await db.raw('CREATE TABLE t (a integer, b text)');
  return db;
};

describe('positioned: knex placeholders as PostgreSQL’s', () => {
  it('numbers each ? and leaves those inside quoted strings and names alone', () => {
    expect(positioned(`SELECT ?, '?', "a?b", 'it''s ?', ? FROM t WHERE a = ?`)).toBe(
      `SELECT $1, '?', "a?b", 'it''s ?', $2 FROM t WHERE a = $3`,
    );
  });
});

describe.skipIf(!process.env.BOTGATE_TEST_DATABASE_URL)('statements run through pg itself (PostgreSQL)', () => {
  it('answers what knex would: rows, a ? in a string, an array as an array, a ?? as a name', async () => {
    const db = await open();
    await rawRows(db, 'INSERT INTO t (a, b) VALUES (?, ?), (?, ?), (?, ?)', [1, 'one', 2, '?', 3, 'three']);
    expect(await rawRows(db, `SELECT a FROM t WHERE b = '?' OR a = ? ORDER BY a`, [3])).toEqual([{ a: 2 }, { a: 3 }]);
    expect(await rawRows(db, 'SELECT a FROM t WHERE a = ANY(?) ORDER BY a', [[1, 3]])).toEqual([{ a: 1 }, { a: 3 }]);
    expect(await rawRows(db, 'SELECT ?? FROM t WHERE a = ?', ['b', 1])).toEqual([{ b: 'one' }]);
    // The same text again: its prepared statement, new values.
    expect(await rawRows(db, `SELECT a FROM t WHERE b = '?' OR a = ? ORDER BY a`, [1])).toEqual([{ a: 1 }, { a: 2 }]);
  });

  it('answers a prepared SELECT * again after a newer node added a column to its table', async () => {
    const database = await newDatabase();
    // One connection, so the second run meets the statement the first prepared.
    db = createDatabase({ ...(database.config as { client: 'pg'; connectionString: string }), poolSize: 1 });
    await db.raw('CREATE TABLE t (a integer)');
    await rawRows(db, 'INSERT INTO t (a) VALUES (?)', [1]);
    const all = 'SELECT * FROM t WHERE a = ?';
    expect(await rawRows(db, all, [1])).toEqual([{ a: 1 }]);
    await db.raw("ALTER TABLE t ADD COLUMN b text DEFAULT 'new'");
    expect(await rawRows(db, all, [1])).toEqual([{ a: 1, b: 'new' }]);
    // Inside a transaction the refused statement aborts it; its retry runs the text unnamed.
    const inTransaction = 'SELECT * FROM t WHERE a > ?';
    expect(await transaction(db, (query) => query(inTransaction, [0]))).toEqual([{ a: 1, b: 'new' }]);
    await db.raw('ALTER TABLE t ADD COLUMN c integer');
    await expect(transaction(db, (query) => query(inTransaction, [0]))).rejects.toThrow(/cached plan/);
    expect(await transaction(db, (query) => query(inTransaction, [0]))).toEqual([{ a: 1, b: 'new', c: null }]);
  });

  it('keeps nothing of a transaction whose work threw, and the connection serves the next one', async () => {
    const db = await open();
    await expect(
      transaction(db, async (query) => {
        await query('INSERT INTO t (a) VALUES (?)', [7]);
        await query('SELECT no_such_column FROM t');
      }),
    ).rejects.toThrow(/no_such_column/);
    await transaction(db, async (query) => query('INSERT INTO t (a) VALUES (?)', [8]));
    expect(await rawRows(db, 'SELECT a FROM t ORDER BY a', [])).toEqual([{ a: 8 }]);
  });
});
