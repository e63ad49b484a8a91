import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { cacheStatements } from './database.js';

describe('cacheStatements', () => {
  it('compiles a statement once, and hears of each commit, not of writes inside a transaction nor of reads', () => {
    const connection = new Database(':memory:');
    const commits: string[] = [];
    let step = '';
    cacheStatements(connection as never, () => commits.push(step));
    connection.prepare('CREATE TABLE t (a INTEGER)').run();
    expect(connection.prepare('SELECT a FROM t')).toBe(connection.prepare('SELECT a FROM t'));

    step = 'transaction';
    connection.prepare('BEGIN').run();
    connection.prepare('INSERT INTO t (a) VALUES (?)').run(1);
    connection.prepare('INSERT INTO t (a) VALUES (?)').run(2);
    expect(commits).toEqual(['']);
    connection.prepare('COMMIT').run();
    step = 'autocommit';
    connection.prepare('UPDATE t SET a = a + 1 RETURNING a').all();
    step = 'read';
    connection.prepare('SELECT a FROM t').all();
    expect(commits).toEqual(['', 'transaction', 'autocommit']);
    connection.close();
  });
});
