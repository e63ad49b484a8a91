// 3. Job throughput, queued → succeeded, of `echo` jobs on one node: SQLite (compared with the
// single-row insert rate of the same knex driver) and PostgreSQL (compared with graphile-worker
// doing the same no-op work on the same server), each in its own process. Also enqueue → start
// at a paced rate, and enqueue through an adapter over HTTP against graphile's `addJob`.
import { join } from 'node:path';
import { createBotgateEnv, exposeAutomation, startBotgate } from '../lib/botgate-server.mjs';
import { childJson } from '../lib/child-json.mjs';
import { postgresUrl, withDatabase } from '../lib/postgres.mjs';
import { load, root } from '../lib/processes.mjs';
import { figure } from '../lib/report.mjs';

const suite = '3. job throughput';
const worker = (name) => join(root, 'bench/workers', name);
const sizes = (process.env.BENCH_JOBS ?? '10000,100000').split(',').map(Number);

export default async function jobThroughput({ seconds }) {
  const figures = [];
  const insert = await childJson(worker('sqlite-insert.mjs'), { rows: 3000, synchronous: 'full' });
  for (const jobs of sizes) {
    const ours = await childJson(worker('botgate-queue.mjs'), {
      database: 'sqlite',
      jobs,
      concurrency: 16,
      pacedRate: Math.round(insert.insertsPerSecond / 2),
      pacedSeconds: 3,
    });
    figures.push(
      figure({
        suite,
        name: `SQLite drain, ${jobs.toLocaleString('en')} jobs`,
        value: ours.drainPerSecond,
        unit: 'jobs/s',
        baseline: 'knex single-row insert (sync=full)',
        baselineValue: insert.insertsPerSecond,
        target: '≥ the single-row insert rate',
        met: ours.drainPerSecond >= insert.insertsPerSecond,
      }),
      figure({
        suite,
        name: `SQLite enqueue, ${jobs.toLocaleString('en')} jobs (64 in flight)`,
        value: ours.enqueuePerSecond,
        unit: 'jobs/s',
        baseline: 'knex single-row insert (sync=full)',
        baselineValue: insert.insertsPerSecond,
      }),
    );
    if (jobs === sizes[0]) {
      figures.push(
        figure({
          suite,
          name: `SQLite enqueue → start p50 at ${ours.pacedRate} jobs/s`,
          value: ours.startP50Ms,
          unit: 'ms',
          target: '≤ 2 ms',
          met: ours.startP50Ms <= 2,
        }),
        figure({
          suite,
          name: `SQLite enqueue → start p99 at ${ours.pacedRate} jobs/s`,
          value: ours.startP99Ms,
          unit: 'ms',
          target: '≤ 10 ms',
          met: ours.startP99Ms <= 10,
        }),
      );
    }
  }
  if (!postgresUrl) return figures;

  const paced = { pacedRate: 500, pacedSeconds: 3 };
  // The three drains of a size run in alternating rounds (ours, unbatched, batched, ours, …), as
  // suites 1, 2 and 4 alternate their servers (item 42): a slow spell of the machine, which can
  // last longer than one drain, then falls on every side of the ratio. Each rate is over all its
  // rounds (jobs over seconds); enqueue → start is paced in the first round only.
  const drainRounds = Math.max(1, Math.trunc(Number(process.env.BENCH_DRAIN_ROUNDS ?? 2)) || 2);
  const overRounds = (results, key) => results.length / results.reduce((sum, result) => sum + 1 / result[key], 0);
  const alternated = async (runs) => {
    const results = Object.fromEntries(Object.keys(runs).map((name) => [name, []]));
    for (let round = 0; round < drainRounds; round++)
      for (const [name, run] of Object.entries(runs))
        results[name].push(await run(round === 0 ? paced : { ...paced, pacedSeconds: 0 }));
    if (process.env.BENCH_VERBOSE)
      for (const [name, list] of Object.entries(results))
        console.error(`  ${name}: ${list.map((r) => Math.round(r.drainPerSecond)).join(', ')} jobs/s a round`);
    return Object.fromEntries(
      Object.entries(results).map(([name, list]) => [
        name,
        {
          ...list[0],
          drainPerSecond: overRounds(list, 'drainPerSecond'),
          enqueuePerSecond: overRounds(list, 'enqueuePerSecond'),
        },
      ]),
    );
  };
  const graphile = (options) =>
    withDatabase((connectionString) =>
      childJson(worker('graphile-queue.mjs'), {
        connectionString,
        concurrency: 10,
        enqueueJobs: 3000,
        ...options,
      }),
    );
  for (const jobs of sizes) {
    const { ours, unbatched, batched } = await alternated({
      ours: (pacing) =>
        withDatabase((database) =>
          childJson(worker('botgate-queue.mjs'), { database, jobs, concurrency: 16, ...pacing }),
        ),
      unbatched: (pacing) => graphile({ jobs, ...pacing }),
      batched: (pacing) => graphile({ jobs, localQueue: 500, ...pacing }),
    });
    const name = `PostgreSQL drain, ${jobs.toLocaleString('en')} jobs`;
    figures.push(
      figure({
        suite,
        name,
        value: ours.drainPerSecond,
        unit: 'jobs/s',
        baseline: 'graphile-worker 0.17, concurrency 10, unbatched',
        baselineValue: unbatched.drainPerSecond,
        target: '≥ 1.5 × graphile unbatched',
        met: ours.drainPerSecond >= 1.5 * unbatched.drainPerSecond,
      }),
      figure({
        suite,
        name,
        value: ours.drainPerSecond,
        unit: 'jobs/s',
        baseline: 'graphile-worker 0.17, localQueue 500, batch delay 0',
        baselineValue: batched.drainPerSecond,
        target: '≥ 0.5 × graphile batched',
        met: ours.drainPerSecond >= 0.5 * batched.drainPerSecond,
      }),
    );
    if (jobs === sizes[0]) {
      figures.push(
        figure({
          suite,
          name: `PostgreSQL enqueue → start p50 at ${paced.pacedRate} jobs/s`,
          value: ours.startP50Ms,
          unit: 'ms',
          baseline: 'graphile-worker, same rate',
          baselineValue: unbatched.startP50Ms,
          target: '≤ graphile-worker',
          met: ours.startP50Ms <= unbatched.startP50Ms,
        }),
        figure({
          suite,
          name: `PostgreSQL enqueue → start p99 at ${paced.pacedRate} jobs/s`,
          value: ours.startP99Ms,
          unit: 'ms',
          baseline: 'graphile-worker, same rate',
          baselineValue: unbatched.startP99Ms,
        }),
      );
      // Enqueue through an adapter: Robocorp's POST …/runs over HTTP with 10 in flight, on an API
      // node of the same PostgreSQL, against graphile's addJob with 10 in flight.
      const http = await withDatabase(async (database) => {
        const { env, cleanup } = createBotgateEnv({ BOTGATE_DATABASE: database, BOTGATE_WORKER: 'false' });
        try {
          const routes = await exposeAutomation(env, 'echo');
          const server = await startBotgate(env);
          try {
            const options = {
              url: `${server.url}${routes.runsPath}`,
              connections: 10,
              method: 'POST',
              headers: { 'content-type': 'application/json', 'robocloud-process-secret': routes.secret },
              body: '{"message":"hello"}',
            };
            await load({ ...options, duration: 1 });
            return await load({ ...options, duration: seconds });
          } finally {
            await server.stop();
          }
        } finally {
          cleanup();
        }
      });
      figures.push(
        figure({
          suite,
          name: 'PostgreSQL enqueue through POST …/runs, 10 in flight',
          value: http.rps,
          unit: 'jobs/s',
          baseline: 'graphile addJob, 10 in flight',
          baselineValue: unbatched.enqueuePerSecond,
          target: '≥ 2 × graphile addJob',
          met: http.rps >= 2 * unbatched.enqueuePerSecond,
        }),
      );
    }
  }
  return figures;
}
