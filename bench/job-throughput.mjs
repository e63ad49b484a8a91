// Job throughput of the core on SQLite: 10,000 `echo` jobs, first queued (durably, one commit
// each), then run from queued to succeeded by one node's worker. Prints jobs/s for both phases,
// for SQLite's `synchronous = full` (the default) and `normal`.
//   node bench/job-throughput.mjs [jobs=10000]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore } from '@botgate/core';

const total = Number(process.argv[2] ?? 10_000);
const catalogDir = new URL('../examples', import.meta.url).pathname;

const measure = async (synchronous) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'botgate-bench-'));
  const core = await createCore({
    dataDir,
    catalogDir,
    commandEnv: process.env,
    concurrency: 16,
    database: { client: 'sqlite', filename: join(dataDir, 'botgate.sqlite'), synchronous },
  });
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
    return { synchronous, jobs: total, enqueuePerSecond: Math.round((total / enqueueMs) * 1000), runPerSecond: Math.round((total / runMs) * 1000) };
  } finally {
    await core.close({ graceMs: 0 });
    rmSync(dataDir, { recursive: true, force: true });
  }
};

const results = [];
for (const synchronous of ['full', 'normal']) results.push(await measure(synchronous));
console.log(`job throughput, ${total} echo jobs, SQLite WAL, one node, concurrency 16`);
console.table(results);
