// What isolating a module automation costs per call: the echo module called directly on the main
// thread, through a warm worker-thread pool (piscina, as the module runner does), and as a fresh
// Node process per call. 1,000 sequential calls each; prints p50 / p99 in microseconds.
//   node bench/module-isolation.mjs [calls=1000]
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Piscina } from 'piscina';

const calls = Number(process.argv[2] ?? 1000);
const echoPath = new URL('../examples/echo/index.mjs', import.meta.url);
const workerFile = new URL('../packages/core/src/runners/module-thread.cjs', import.meta.url).href;
const inputs = { message: 'hello', count: 3 };

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
const time = async (label, n, call) => {
  for (let i = 0; i < Math.min(50, n); i++) await call(); // warm-up
  const samples = [];
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    await call();
    samples.push(Number(process.hrtime.bigint() - t0) / 1000);
  }
  samples.sort((a, b) => a - b);
  return {
    isolation: label,
    calls: n,
    p50_us: Math.round(percentile(samples, 0.5)),
    p99_us: Math.round(percentile(samples, 0.99)),
  };
};

const echo = (await import(echoPath.href)).default;
const pool = new Piscina({ filename: workerFile, minThreads: 2, maxThreads: 2, concurrentTasksPerWorker: 1 });
const task = {
  modulePath: echoPath.pathname,
  inputs,
  context: { jobId: 1, automationId: 'echo', workDir: '/tmp', inputFiles: [] },
};
const run = promisify(execFile);

const results = [
  await time('main thread (no isolation)', calls, () => echo(inputs)),
  await time('worker-thread pool (piscina)', calls, () => pool.run(task, { signal: new AbortController().signal })),
  await time('process per call (node -e)', Math.min(calls, 50), () =>
    run(process.execPath, ['-e', 'process.stdout.write("{}")']),
  ),
];
await pool.destroy();
console.table(results);
