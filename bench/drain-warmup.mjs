// The PostgreSQL drain's rate over time, for V8's warm-up (docs/performance.md, the PostgreSQL
// drain): `node [--no-opt] bench/drain-warmup.mjs [jobs=30000]` queues `jobs` echo jobs on one
// node (as suite 3's worker does), drains them, counts the ends every 100 ms and prints the rate
// in the drain's first second, its second, its third and after. Needs BOTGATE_TEST_POSTGRES.
import { openBenchCore, queueEchoJobs } from './lib/bench-core.mjs';
import { postgresUrl, withDatabase } from './lib/postgres.mjs';

if (!postgresUrl) throw new Error('drain-warmup.mjs needs BOTGATE_TEST_POSTGRES');
const jobs = Number(process.argv[2] ?? 30000);
await withDatabase(async (connectionString) => {
  const { core, close } = await openBenchCore({ client: 'pg', connectionString }, { concurrency: 16 });
  try {
    await queueEchoJobs(core, jobs);
    let done = 0;
    let allDone;
    const drained = new Promise((resolve) => (allDone = resolve));
    core.jobs.onFinished(() => ++done === jobs && allDone());
    const counts = [];
    const t0 = performance.now();
    const timer = setInterval(() => counts.push(done), 100);
    await core.worker.start();
    await drained;
    clearInterval(timer);
    const seconds = (performance.now() - t0) / 1000;
    const per = counts.map((count, i) => count - (counts[i - 1] ?? 0));
    // Jobs a second over 100 ms slots [from, to); the first slot holds the worker's start.
    const rate = (from, to) => {
      const slots = per.slice(from, to);
      return slots.length ? Math.round((slots.reduce((a, b) => a + b, 0) / slots.length) * 10) : '–';
    };
    console.log(
      `${jobs} jobs in ${seconds.toFixed(2)} s (${Math.round(jobs / seconds)}/s); jobs/s in 0.1–1 s ${rate(1, 10)}, ` +
        `1–2 s ${rate(10, 20)}, 2–3 s ${rate(20, 30)}, after 3 s ${rate(30, per.length - 1)}`,
    );
  } finally {
    await close();
  }
});
