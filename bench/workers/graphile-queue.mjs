// graphile-worker doing the same no-op work on the same PostgreSQL, in its own process: its
// enqueue rate (`addJob`, 10 in flight, `enqueueJobs` of them), then N jobs queued (the rest in
// bulk with `addJobs`) drained, then enqueue → start at a paced rate.
// argv[2]: JSON { connectionString, jobs, enqueueJobs, concurrency, localQueue, pacedRate, pacedSeconds }.
import { makeWorkerUtils, run } from 'graphile-worker';
import { printQueueResult, sendPaced } from '../lib/paced.mjs';

const options = JSON.parse(process.argv[2]);
const utils = await makeWorkerUtils({ connectionString: options.connectionString });
await utils.migrate();
const { Logger } = await import('graphile-worker');
const logger = new Logger(() => () => {});

try {
  let t0 = performance.now();
  for (let sent = 0; sent < options.enqueueJobs; sent += 10) {
    await Promise.all(
      Array.from({ length: Math.min(10, options.enqueueJobs - sent) }, (_, i) => utils.addJob('noop', { i: sent + i })),
    );
  }
  const enqueueSeconds = (performance.now() - t0) / 1000;
  for (let sent = options.enqueueJobs; sent < options.jobs; sent += 1000) {
    await utils.addJobs(
      Array.from({ length: Math.min(1000, options.jobs - sent) }, (_, i) => ({
        identifier: 'noop',
        payload: { i: sent + i },
      })),
    );
  }

  const waits = [];
  let done = 0;
  let target = options.jobs;
  let reached;
  let finished = new Promise((resolve) => (reached = resolve));
  const preset = options.localQueue
    ? { worker: { localQueue: { size: options.localQueue }, completeJobBatchDelay: 0, failJobBatchDelay: 0 } }
    : {};
  t0 = performance.now();
  const runner = await run({
    connectionString: options.connectionString,
    concurrency: options.concurrency,
    noHandleSignals: true,
    pollInterval: 1000,
    logger,
    preset,
    taskList: {
      noop: async (payload) => {
        if (payload.queuedAt) waits.push(Date.now() - payload.queuedAt);
      },
    },
  });
  runner.events.on('job:success', () => ++done === target && reached());
  await finished;
  const drainSeconds = (performance.now() - t0) / 1000;

  done = 0;
  const count = Math.round(options.pacedRate * options.pacedSeconds);
  target = count;
  finished = new Promise((resolve) => (reached = resolve));
  await sendPaced(options.pacedRate, count, () => utils.addJob('noop', { queuedAt: Date.now() }));
  // pacedSeconds 0: a drain alone (a later round of suite 3), nothing paced.
  if (count > 0) await finished;
  await runner.stop();
  printQueueResult({
    enqueued: options.enqueueJobs,
    enqueueSeconds,
    drained: options.jobs,
    drainSeconds,
    waits,
    pacedRate: options.pacedRate,
  });
} finally {
  await utils.release();
}
