// What a statement and a transaction cost the node, through knex and without it:
// `node bench/pg-statement.mjs [statements=3000]` (PostgreSQL at BOTGATE_TEST_POSTGRES; SQLite
// transactions too). Prints wall time and this process's CPU time (user + system) per call: a
// one-row SELECT through knex's raw, through pg with an unnamed and a named (prepared) statement,
// through core's `rawRows`; and a one-insert transaction through knex's `transaction` and through
// core's own (`boundTransaction`), on PostgreSQL and on SQLite.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createDatabase, rawRows } from '../packages/core/dist/queue/database.js';
import { boundTransaction, sql } from '../packages/core/dist/queue/sql.js';

const N = Number(process.argv[2] ?? 3000);
const url = process.env.BOTGATE_TEST_POSTGRES;
if (!url) throw new Error('BOTGATE_TEST_POSTGRES names the PostgreSQL server');

const measure = async (name, calls, fn) => {
  for (let i = 0; i < calls / 10; i++) await fn(i);
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < calls; i++) await fn(i);
  const used = process.cpuUsage(cpu);
  const wall = ((performance.now() - t0) * 1000) / calls;
  console.log(`${name}: ${wall.toFixed(1)} µs wall, ${((used.user + used.system) / calls).toFixed(1)} µs CPU`);
};

const pgDb = createDatabase({ client: 'pg', connectionString: url, poolSize: 2 });
await pgDb.raw('DROP TABLE IF EXISTS bench_statement');
await pgDb.raw('CREATE TABLE bench_statement (a integer)');
const client = new pg.Client({ connectionString: url });
await client.connect();
try {
  await measure('PostgreSQL SELECT, knex raw', N, () => pgDb.raw('SELECT ?::int AS x', [1]));
  await measure('PostgreSQL SELECT, pg unnamed', N, () => client.query('SELECT $1::int AS x', [1]));
  await measure('PostgreSQL SELECT, pg named', N, () =>
    client.query({ name: 'bench', text: 'SELECT $1::int AS x', values: [1] }),
  );
  await measure('PostgreSQL SELECT, rawRows', N, () => rawRows(pgDb, 'SELECT ?::int AS x', [1]));
  await measure('PostgreSQL transaction of one INSERT, knex', N, (i) =>
    pgDb.transaction((tx) => sql(tx, 'INSERT INTO bench_statement (a) VALUES (?)', [i])),
  );
  await measure('PostgreSQL transaction of one INSERT, boundTransaction', N, (i) =>
    boundTransaction(pgDb, (tx) => sql(tx, 'INSERT INTO bench_statement (a) VALUES (?)', [i])),
  );
} finally {
  await pgDb.raw('DROP TABLE IF EXISTS bench_statement');
  await client.end();
  await pgDb.destroy();
}

const dir = mkdtempSync(join(tmpdir(), 'botgate-statement-'));
const sqliteDb = createDatabase({ client: 'sqlite', filename: join(dir, 'db.sqlite'), synchronous: 'normal' });
try {
  await sqliteDb.raw('CREATE TABLE t (a integer)');
  await measure('SQLite transaction of one INSERT, knex', N * 5, (i) =>
    sqliteDb.transaction((tx) => sql(tx, 'INSERT INTO t (a) VALUES (?)', [i])),
  );
  await measure('SQLite transaction of one INSERT, boundTransaction', N * 5, (i) =>
    boundTransaction(sqliteDb, (tx) => sql(tx, 'INSERT INTO t (a) VALUES (?)', [i])),
  );
} finally {
  await sqliteDb.destroy();
  rmSync(dir, { recursive: true, force: true });
}
