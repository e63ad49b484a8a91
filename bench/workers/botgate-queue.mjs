// One node's queue, in its own process: queue N `echo` jobs (enqueue calls with 64 in flight,
// sharing commits as a server's concurrent triggers do), then run them from queued to
// succeeded; then, at a paced rate, how long a queued job waits before it starts.
// argv[2]: JSON { database, jobs, concurrency, pacedRate, pacedSeconds }. Prints one JSON line.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore } from '@botgate/core';
import { printQueueResult, sendPaced } from '../lib/paced.mjs';

const options = JSON.parse(process.argv[2]);
const dataDir = mkdtempSync(join(tmpdir(), 'botgate-bench-'));
const database =
  options.database === 'sqlite'
    ? { client: 'sqlite', filename: join(dataDir, 'botgate.sqlite'), synchronous: options.synchronous ?? 'full' }
    : { client: 'pg', connectionString: options.database };
const core = await createCore({
  dataDir,
  catalogDir: new URL('../../examples', import.meta.url).pathname,
  commandEnv: {},
  concurrency: options.concurrency,
  database,
});
const enqueue = (i) =>
  core.jobs.enqueue({ automationId: 'echo', adapter: 'bench', plainInputs: { message: `job ${i}` } });

try {
  let t0 = performance.now();
  for (let sent = 0; sent < options.jobs; sent += 64) {
    await Promise.all(Array.from({ length: Math.min(64, options.jobs - sent) }, (_, i) => enqueue(sent + i)));
  }
  const enqueueSeconds = (performance.now() - t0) / 1000;

  let done = 0;
  let allDone;
  const drained = new Promise((resolve) => (allDone = resolve));
  core.jobs.onFinished((job) => {
    if (job.state !== 'succeeded') throw new Error(`job ${job.id} ${job.state}: ${job.error}`);
    if (++done === options.jobs) allDone();
  });
  t0 = performance.now();
  await core.worker.start();
  await drained;
  const drainSeconds = (performance.now() - t0) / 1000;

  // Enqueue → start at a paced rate: each job's own start time minus the moment it was queued.
  const waits = [];
  const count = Math.round(options.pacedRate * options.pacedSeconds);
  let started = 0;
  let allStarted;
  const pacedDone = new Promise((resolve) => (allStarted = resolve));
  core.jobs.onFinished((job) => {
    const at = job.metadata?.queuedAt;
    if (at === undefined) return;
    waits.push(job.startedAt.getTime() - at);
    if (++started === count) allStarted();
  });
  await sendPaced(options.pacedRate, count, (i) =>
    core.jobs.enqueue({
      automationId: 'echo',
      adapter: 'bench',
      plainInputs: { message: `paced ${i}` },
      metadata: { queuedAt: Date.now() },
    }),
  );
  // pacedSeconds 0: a drain alone (a later round of suite 3), nothing paced.
  if (count > 0) await pacedDone;
  printQueueResult({
    enqueued: options.jobs,
    enqueueSeconds,
    drained: options.jobs,
    drainSeconds,
    waits,
    pacedRate: options.pacedRate,
  });
} finally {
  await core.close({ graceMs: 0 });
  rmSync(dataDir, { recursive: true, force: true });
}
