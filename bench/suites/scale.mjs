// 4. Scale: status queries (EMILY's `GET /api/job`, Robocorp's `GET …/runs/{id}`) with 1,000
// and with 1,000,000 finished jobs in the SQLite file, against bare express answering the same
// bytes; and the server's memory with 100,000 jobs queued while it works through them.
import { join } from 'node:path';
import { createBotgateEnv, startBotgate, startSeededStatusServer } from '../lib/botgate-server.mjs';
import { childJson } from '../lib/child-json.mjs';
import { botgate, root, startServer } from '../lib/processes.mjs';
import { alternate } from '../lib/rounds.mjs';
import { figure } from '../lib/report.mjs';

const suite = '4. scale';
const seed = (options) => childJson(join(root, 'bench/workers/seed-jobs.mjs'), options);

const statusLatency = async (jobs, seconds) => {
  const seeded = await startSeededStatusServer(jobs);
  const servers = [];
  try {
    const { server, jobPath, runPath, runHeaders: headers } = seeded;
    const answers = {
      status: await (await fetch(`${server.url}${jobPath}`)).json(),
      runStatus: await (await fetch(`${server.url}${runPath}`, { headers })).json(),
    };
    const express = await startServer([`${root}/bench/servers/baseline-express.mjs`], {
      ...process.env,
      BENCH_ANSWERS: JSON.stringify(answers),
    });
    servers.push(express);
    const options = (url, withHeaders) => ({ url, connections: 16, ...(withHeaders ? { headers } : {}) });
    return {
      ...(await alternate(
        { job: options(`${server.url}${jobPath}`, false), jobBare: options(`${express.url}${jobPath}`, false) },
        { seconds },
      )),
      ...(await alternate(
        { run: options(`${server.url}${runPath}`, true), runBare: options(`${express.url}${runPath}`, true) },
        { seconds },
      )),
    };
  } finally {
    await Promise.all([seeded.stop(), ...servers.map((s) => s.stop())]);
  }
};

const memoryWithQueue = async (jobs) => {
  const { env, dataDir, cleanup } = createBotgateEnv({ BOTGATE_SHUTDOWN_GRACE: '1s' });
  try {
    await botgate(['automations', 'list'], env);
    await seed({ filename: join(dataDir, 'botgate.sqlite'), jobs, state: 'queued', automationId: 'sleep' });
    const server = await startBotgate(env);
    try {
      // Let it claim, start jobs, poll and answer a few overviews.
      for (let i = 0; i < 20; i++) {
        await (await fetch(`${server.url}/api`)).text();
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      const health = await (await fetch(`${server.url}/healthz`)).json();
      return { rssMb: server.rssMb(), queued: health.queued };
    } finally {
      await server.stop();
    }
  } finally {
    cleanup();
  }
};

export default async function scale({ seconds }) {
  const small = await statusLatency(1000, seconds);
  const large = await statusLatency(1_000_000, seconds);
  const figures = [];
  for (const [key, label] of [
    ['job', 'GET /api/job (EMILY)'],
    ['run', 'GET …/runs/{id} (Robocorp)'],
  ]) {
    const bareKey = `${key}Bare`;
    for (const [size, r] of [
      ['1k', small],
      ['1M', large],
    ]) {
      figures.push(
        figure({
          suite,
          name: `${label}, ${size} jobs, req/s`,
          value: r[key].rps,
          unit: 'req/s',
          baseline: 'bare express 5',
          baselineValue: r[bareKey].rps,
          target: '≥ 0.85 × bare express',
          met: r[key].rps >= 0.85 * r[bareKey].rps,
        }),
      );
    }
    figures.push(
      figure({
        suite,
        name: `${label} p50 at 1M jobs`,
        value: large[key].p50,
        unit: 'ms',
        baseline: 'same query at 1k jobs',
        baselineValue: small[key].p50,
        target: '≤ 1.5 × its latency at 1k',
        met: large[key].p50 <= 1.5 * small[key].p50,
      }),
    );
  }
  const memory = await memoryWithQueue(100_000);
  figures.push(
    figure({
      suite,
      name: `server RSS with ${memory.queued.toLocaleString('en')} jobs queued`,
      value: memory.rssMb,
      unit: 'MB',
      target: '≤ 200 MB',
      met: memory.rssMb <= 200,
    }),
  );
  return figures;
}
