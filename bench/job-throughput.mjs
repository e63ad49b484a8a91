// Job throughput of the core: 10,000 `echo` jobs, first queued (durably, one commit each), then
// run from queued to succeeded by one node's worker. Prints jobs/s for both phases, for SQLite's
// `synchronous = full` (the default) and `normal`, and for PostgreSQL when BOTGATE_TEST_POSTGRES
// names a server (a database is made for the run and dropped after).
//   node bench/job-throughput.mjs [jobs=10000]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore } from '@botgate/core';
import pg from 'pg';

const total = Number(process.argv[2] ?? 10_000);
const catalogDir = new URL('../examples', import.meta.url).pathname;

const measure = async (label, databaseOf) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'botgate-bench-'));
  const { database, drop } = await databaseOf(dataDir);
  const core = await createCore({ dataDir, catalogDir, commandEnv: process.env, concurrency: 16, database });
  try {
    let t0 = performance.now();
    // Triggers arrive concurrently in a server; 64 in flight at a time.
    for (let sent = 0; sent < total; sent += 64) {
      const batch = Math.min(64, total - sent);
      await Promise.all(Array.from({ length: batch }, (_, i) => core.jobs.enqueue({ automationId: 'echo', adapter: 'bench', plainInputs: { message: `job ${sent + i}` } })));
    }
    const enqueueMs = performance.now() - t0;

    let done = 0;
    const finished = new Promise((resolve) => core.jobs.onFinished((job) => job.state === 'succeeded' && ++done === total && resolve()));
    t0 = performance.now();
    await core.worker.start();
    await finished;
    const runMs = performance.now() - t0;
    const counts = await core.jobs.counts();
    if (counts.succeeded !== total) throw new Error(`expected ${total} succeeded, got ${JSON.stringify(counts)}`);
    return { database: label, jobs: total, enqueuePerSecond: Math.round((total / enqueueMs) * 1000), runPerSecond: Math.round((total / runMs) * 1000) };
  } finally {
    await core.close({ graceMs: 0 });
    await drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
};

const sqlite = (synchronous) => async (dataDir) => ({ database: { client: 'sqlite', filename: join(dataDir, 'botgate.sqlite'), synchronous }, drop: async () => {} });
const postgres = (url) => async () => {
  const name = `botgate_bench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const target = new URL(url);
  target.pathname = `/${name}`;
  return {
    database: { client: 'pg', connectionString: target.toString() },
    drop: async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
};

const results = [];
results.push(await measure('SQLite WAL, synchronous=full', sqlite('full')));
results.push(await measure('SQLite WAL, synchronous=normal', sqlite('normal')));
if (process.env.BOTGATE_TEST_POSTGRES) results.push(await measure(`PostgreSQL ${new URL(process.env.BOTGATE_TEST_POSTGRES).host}`, postgres(process.env.BOTGATE_TEST_POSTGRES)));
console.log(`job throughput, ${total} echo jobs, one node, concurrency 16`);
console.table(results);
