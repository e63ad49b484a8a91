// 1. Trigger throughput: EMILY's `GET /api?uuid=` and Robocorp's `POST …/runs`, each answered
// only once its job is committed (SQLite, synchronous=full), against bare express 5 and bare
// node:http routes answering the same bytes. The botgate node runs no jobs (`worker: false`, an
// API node), so the figure is the trigger path's own. BENCH_SQLITE_SYNCHRONOUS=normal measures the
// same path without any fsync (what the disk costs).
import { createBotgateEnv, exposeAutomation, startBotgate } from '../lib/botgate-server.mjs';
import { root, startServer } from '../lib/processes.mjs';
import { alternate, rounds } from '../lib/rounds.mjs';
import { figure } from '../lib/report.mjs';

const connections = 16;

export default async function trigger({ seconds }) {
  const { env, cleanup } = createBotgateEnv({
    BOTGATE_WORKER: 'false',
    ...(process.env.BENCH_SQLITE_SYNCHRONOUS
      ? { BOTGATE_SQLITE_SYNCHRONOUS: process.env.BENCH_SQLITE_SYNCHRONOUS }
      : {}),
  });
  const routes = await exposeAutomation(env, 'echo');
  const server = await startBotgate(env);
  const servers = [server];
  try {
    const runHeaders = { 'content-type': 'application/json', 'robocloud-process-secret': routes.secret };
    const runBody = JSON.stringify({ message: 'hello', count: 1 });
    const answers = {
      trigger: await (await fetch(`${server.url}${routes.triggerPath}`)).json(),
      run: await (
        await fetch(`${server.url}${routes.runsPath}`, { method: 'POST', headers: runHeaders, body: runBody })
      ).json(),
    };
    const baselineEnv = { ...process.env, BENCH_ANSWERS: JSON.stringify(answers) };
    const express = await startServer([`${root}/bench/servers/baseline-express.mjs`], baselineEnv);
    const http = await startServer([`${root}/bench/servers/baseline-http.mjs`], baselineEnv);
    servers.push(express, http);

    let answered = 2;
    const options = (base, path, post) => ({
      url: `${base.url}${path}`,
      connections,
      ...(post ? { method: 'POST', headers: runHeaders, body: runBody } : {}),
    });
    const figures = [];
    for (const [label, path, post] of [
      ['GET /api?uuid= (EMILY)', routes.triggerPath, false],
      ['POST …/runs (Robocorp)', routes.runsPath, true],
    ]) {
      const bareRoute = post ? routes.runsPath : '/api';
      const { bare, floor, ours } = await alternate(
        {
          bare: options(express, bareRoute, post),
          floor: options(http, bareRoute, post),
          ours: options(server, path, post),
        },
        { seconds },
      );
      answered += ours.warmupRequests + ours.requests;
      const suite = '1. trigger throughput';
      figures.push(
        figure({
          suite,
          name: `${label} req/s`,
          value: ours.rps,
          unit: 'req/s',
          baseline: 'bare express 5',
          baselineValue: bare.rps,
          target: '≥ 0.75 × bare express',
          met: ours.rps >= 0.75 * bare.rps,
          note: `${connections} connections, each answer committed`,
        }),
        figure({
          suite,
          name: `${label} vs bare node:http`,
          value: ours.rps,
          unit: 'req/s',
          baseline: 'bare node:http',
          baselineValue: floor.rps,
        }),
        figure({
          suite,
          name: `${label} p50`,
          value: ours.p50,
          unit: 'ms',
          baseline: 'bare express 5',
          baselineValue: bare.p50,
        }),
        figure({
          suite,
          name: `${label} p99`,
          value: ours.p99,
          unit: 'ms',
          baseline: 'bare express 5',
          baselineValue: bare.p99,
          target: '≤ 2 × bare express',
          met: ours.p99 <= 2 * bare.p99,
        }),
      );
    }
    const health = await (await fetch(`${server.url}/healthz`)).json();
    // autocannon stops with up to `connections` requests in flight per run (a warm-up and the
    // rounds, per route); those were committed but their answers not counted.
    const inFlight = connections * 2 * (1 + rounds);
    figures.push(
      figure({
        suite: '1. trigger throughput',
        name: 'jobs committed − triggers answered',
        value: health.queued - answered,
        unit: 'jobs',
        target: `0 to ${inFlight} (requests in flight when a run stopped)`,
        met: health.queued >= answered && health.queued - answered <= inFlight,
        note: `${health.queued} committed, ${answered} answered`,
      }),
    );
    return figures;
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    cleanup();
  }
}
