// The single-row insert rate of knex over better-sqlite3 on this machine (one commit per row,
// WAL, `synchronous = FULL` unless told otherwise: each row durable when its insert returns):
// what the SQLite queue's job throughput is compared with.
// argv[2]: JSON { rows, synchronous }. Prints one JSON line.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knexFactory from 'knex';

const { rows, synchronous = 'full' } = JSON.parse(process.argv[2]);
const dir = mkdtempSync(join(tmpdir(), 'botgate-bench-'));
const db = knexFactory({
  client: 'better-sqlite3',
  connection: { filename: join(dir, 'insert.sqlite') },
  useNullAsDefault: true,
  pool: { min: 1, max: 1 },
});
try {
  await db.raw('PRAGMA journal_mode = WAL');
  await db.raw(`PRAGMA synchronous = ${synchronous}`);
  await db.schema.createTable('t', (t) => {
    t.increments('id');
    t.text('payload');
  });
  const t0 = performance.now();
  for (let i = 0; i < rows; i++) await db('t').insert({ payload: `row ${i}` });
  console.log(JSON.stringify({ insertsPerSecond: rows / ((performance.now() - t0) / 1000) }));
} finally {
  await db.destroy();
  rmSync(dir, { recursive: true, force: true });
}
