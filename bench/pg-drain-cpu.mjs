// Where a PostgreSQL drain's CPU goes: queues N `echo` jobs on one node (as the suite's worker
// does), then drains them, and prints the rate with the CPU per job of the node's process and of
// all PostgreSQL processes (from /proc, so on the database's own machine only). An SQL file given
// as the third argument runs after the migrations: a way to price another version of a function.
//   BOTGATE_TEST_POSTGRES=postgres://… node bench/pg-drain-cpu.mjs [jobs=20000] [rounds=1] [file.sql]
import { readdirSync, readFileSync } from 'node:fs';
import pg from 'pg';
import { openBenchCore, queueEchoJobs } from './lib/bench-core.mjs';
import { withDatabase } from './lib/postgres.mjs';

const jobs = Number(process.argv[2] ?? 20000);
const rounds = Number(process.argv[3] ?? 1);
const extraSql = process.argv[4] ? readFileSync(process.argv[4], 'utf8') : undefined;

/** CPU time of every PostgreSQL process so far, ms (Linux counts in ticks of 10 ms). */
const postgresCpuMs = () => {
  let ticks = 0;
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      if (!readFileSync(`/proc/${pid}/comm`, 'utf8').startsWith('postgres')) continue;
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // The process ended while we looked.
    }
  }
  return ticks * 10;
};

const drain = async (connectionString) => {
  const { core, close } = await openBenchCore({ client: 'pg', connectionString }, { concurrency: 16 });
  try {
    if (extraSql) {
      const client = new pg.Client({ connectionString });
      await client.connect();
      await client.query(extraSql).finally(() => client.end());
    }
    await queueEchoJobs(core, jobs);
    let done = 0;
    const drained = new Promise((allDone) => core.jobs.onFinished(() => ++done === jobs && allDone()));
    const postgres0 = postgresCpuMs();
    const node0 = process.cpuUsage();
    const t0 = performance.now();
    await core.worker.start();
    await drained;
    const seconds = (performance.now() - t0) / 1000;
    const node = process.cpuUsage(node0);
    return {
      jobs,
      jobsPerSecond: Math.round(jobs / seconds),
      nodeCpuUsPerJob: Math.round((node.user + node.system) / jobs),
      postgresCpuUsPerJob: Math.round(((postgresCpuMs() - postgres0) * 1000) / jobs),
    };
  } finally {
    await close();
  }
};

for (let round = 0; round < rounds; round++) console.log(JSON.stringify(await withDatabase(drain)));
