// 4. Scale: status queries (EMILY's `GET /api/job`, Robocorp's `GET …/runs/{id}`) with 1,000
// and with 1,000,000 finished jobs in the SQLite file (two servers, up at once), against bare
// express answering the same bytes; and the server's memory with 100,000 jobs queued while it works through them.
import { join } from 'node:path';
import { createBotgateEnv, startBotgate, startSeededStatusServer } from '../lib/botgate-server.mjs';
import { childJson } from '../lib/child-json.mjs';
import { botgate, root, startServer } from '../lib/processes.mjs';
import { alternate } from '../lib/rounds.mjs';
import { figure } from '../lib/report.mjs';

const suite = '4. scale';
const seed = (options) => childJson(join(root, 'bench/workers/seed-jobs.mjs'), options);

/**
 * Both seeded servers (1,000 and 1,000,000 jobs) and bare express up at once, measured in
 * alternating rounds: the 1M-against-1k comparison is as exposed to the machine's slow spells as
 * each one against bare express.
 */
const statusLatency = async (seconds) => {
  const small = await startSeededStatusServer(1000);
  const servers = [small];
  try {
    const large = await startSeededStatusServer(1_000_000);
    servers.push(large);
    const headers = small.runHeaders;
    const answers = {
      status: await (await fetch(`${small.server.url}${small.jobPath}`)).json(),
      runStatus: await (await fetch(`${small.server.url}${small.runPath}`, { headers })).json(),
    };
    const express = await startServer([`${root}/bench/servers/baseline-express.mjs`], {
      ...process.env,
      BENCH_ANSWERS: JSON.stringify(answers),
    });
    servers.push(express);
    const options = (url, runHeaders) => ({ url, connections: 16, ...(runHeaders ? { headers: runHeaders } : {}) });
    const job = await alternate(
      {
        small: options(`${small.server.url}${small.jobPath}`),
        large: options(`${large.server.url}${large.jobPath}`),
        bare: options(`${express.url}${small.jobPath}`),
      },
      { seconds },
    );
    const run = await alternate(
      {
        small: options(`${small.server.url}${small.runPath}`, headers),
        large: options(`${large.server.url}${large.runPath}`, large.runHeaders),
        bare: options(`${express.url}${small.runPath}`, headers),
      },
      { seconds },
    );
    return { job, run };
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
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
  const measured = await statusLatency(seconds);
  const figures = [];
  for (const [key, label] of [
    ['job', 'GET /api/job (EMILY)'],
    ['run', 'GET …/runs/{id} (Robocorp)'],
  ]) {
    const { small, large, bare } = measured[key];
    for (const [size, r] of [
      ['1k', small],
      ['1M', large],
    ]) {
      figures.push(
        figure({
          suite,
          name: `${label}, ${size} jobs, req/s`,
          value: r.rps,
          unit: 'req/s',
          baseline: 'bare express 5',
          baselineValue: bare.rps,
          target: '≥ 0.85 × bare express',
          met: r.rps >= 0.85 * bare.rps,
        }),
      );
    }
    figures.push(
      figure({
        suite,
        name: `${label}, 1M jobs, req/s vs its 1k rate`,
        value: large.rps,
        unit: 'req/s',
        baseline: 'same query at 1k jobs',
        baselineValue: small.rps,
        target: '≥ 0.9 × its 1k rate',
        met: large.rps >= 0.9 * small.rps,
      }),
      figure({
        suite,
        name: `${label} p50 at 1M jobs`,
        value: large.p50,
        unit: 'ms',
        baseline: 'same query at 1k jobs',
        baselineValue: small.p50,
        target: '≤ 1.5 × its latency at 1k',
        met: large.p50 <= 1.5 * small.p50,
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
