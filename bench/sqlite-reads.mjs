// What a lookup costs on each SQLite connection while another one commits:
// `node bench/sqlite-reads.mjs [lookups=20000]`. A skill lookup by uuid, alone and right after a
// one-row commit, on a second read-only connection with and without the file memory-mapped, and
// on the connection that committed (mapped). SQLite empties a reader's page cache, and unmaps the
// file, whenever another connection committed; the committing connection keeps both.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const N = Number(process.argv[2] ?? 20000);
const dir = mkdtempSync(join(tmpdir(), 'botgate-reads-'));
const file = join(dir, 'db.sqlite');
const mmap = 256 * 1024 * 1024;
const writer = new Database(file);
writer.pragma('journal_mode = WAL');
writer.pragma('synchronous = NORMAL');
writer.pragma(`mmap_size = ${mmap}`);
writer.exec(`CREATE TABLE skills (automation_id TEXT PRIMARY KEY, uuid TEXT UNIQUE NOT NULL, enabled INTEGER);
  CREATE TABLE jobs (id INTEGER PRIMARY KEY, automation_id TEXT, inputs TEXT, state TEXT, created_at INTEGER);
  CREATE INDEX jobs_queued ON jobs (state, id);`);
for (let i = 0; i < 10; i++) writer.prepare('INSERT INTO skills VALUES (?, ?, 1)').run(`a${i}`, `uuid-${i}`);
const insert = writer.prepare(
  `INSERT INTO jobs (automation_id, inputs, state, created_at) VALUES ('echo', '{"message":"hello"}', 'queued', ?)`,
);
const commit = (i) => {
  writer.exec('BEGIN');
  insert.run(i);
  writer.exec('COMMIT');
};
const lookupOn = (connection) => {
  const statement = connection.prepare('SELECT * FROM skills WHERE uuid = ? AND enabled = ?');
  return () => statement.all(['uuid-3', 1]);
};
const reader = (mapped) => {
  const connection = new Database(file, { readonly: true });
  if (mapped) connection.pragma(`mmap_size = ${mmap}`);
  return connection;
};
const time = (lookup, afterCommit) => {
  let spent = 0;
  for (let i = 0; i < N; i++) {
    if (afterCommit) commit(i);
    const started = performance.now();
    lookup();
    spent += performance.now() - started;
  }
  return `${((spent * 1000) / N).toFixed(2)} µs`;
};
console.log('| connection | lookup alone | lookup right after a commit |\n|---|---|---|');
for (const [label, connection] of [
  ['read-only, mapped', reader(true)],
  ['read-only, not mapped', reader(false)],
  ['the one that commits, mapped', writer],
]) {
  const lookup = lookupOn(connection);
  console.log(`| ${label} | ${time(lookup, false)} | ${time(lookup, true)} |`);
}
writer.close();
rmSync(dir, { recursive: true, force: true });
