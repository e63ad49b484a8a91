// What each layer of the HTTP path costs: `node bench/http-path.mjs [seconds=4] [rounds=2]` loads
// EMILY's `GET /api/job` (16 connections) on bare node:http and bare express, then on botgate's frame one layer at a
// time (bench/servers/http-layers.mjs: fixed bytes, no database), then on `botgate serve` over a
// SQLite file of 1,000 finished jobs; rounds alternate so a noisy machine moves every row alike.
// Prints each row's best rate, and the server's CPU time per request (the least of the rounds)
// with what it adds over the row above.
import { startSeededStatusServer } from './lib/botgate-server.mjs';
import { load, root, startServer } from './lib/processes.mjs';

const seconds = Number(process.argv[2] ?? 4);
const rounds = Number(process.argv[3] ?? 2);
const layers = [
  ['node', 'bare node:http, the same bytes'],
  ['send', 'express 5, one route, answered with writeHead/end'],
  ['express', 'bare express 5, one route (res.json)'],
  ['classes', "the same, node's server built with express's classes (createExpressServer)"],
  ['log', '+ request log and metrics'],
  ['server', "the server's frame (log, drain check, path dispatch, 404, errors)"],
  ['table', '+ the route as its table mounts it (labels, 405, parsed query)'],
];

const seeded = await startSeededStatusServer(1000);
const servers = [];
try {
  const { server, jobPath } = seeded;
  const answers = { status: await (await fetch(`${server.url}${jobPath}`)).json() };
  for (const [layer] of layers)
    servers.push(
      await startServer([`${root}/bench/servers/http-layers.mjs`], {
        ...process.env,
        BENCH_LAYER: layer,
        BENCH_ANSWERS: JSON.stringify(answers),
      }),
    );
  const targets = [
    ...layers.map(([, label], index) => ({ label, process: servers[index], url: `${servers[index].url}${jobPath}` })),
    {
      label: '+ the status lookup and its answer (botgate serve, 1k jobs)',
      process: server,
      url: `${server.url}${jobPath}`,
    },
  ];
  const best = targets.map(() => ({ rps: 0, cpuUs: Infinity }));
  for (let round = 0; round < rounds; round++)
    for (const [index, target] of targets.entries()) {
      await load({ url: target.url, connections: 16, duration: 1 });
      const before = target.process.cpuMs();
      const { rps, requests } = await load({ url: target.url, connections: 16, duration: seconds });
      const cpuUs = ((target.process.cpuMs() - before) * 1000) / requests;
      best[index] = { rps: Math.max(best[index].rps, rps), cpuUs: Math.min(best[index].cpuUs, cpuUs) };
    }
  console.log('| layer | req/s | server CPU per request | over the row above |\n|---|---|---|---|');
  for (const [index, target] of targets.entries()) {
    const { rps, cpuUs } = best[index];
    const over =
      index === 0
        ? ''
        : `${cpuUs >= best[index - 1].cpuUs ? '+' : '−'}${Math.abs(cpuUs - best[index - 1].cpuUs).toFixed(0)} µs`;
    console.log(`| ${target.label} | ${Math.round(rps)} | ${cpuUs.toFixed(0)} µs | ${over} |`);
  }
} finally {
  await Promise.all([seeded.stop(), ...servers.map((s) => s.stop())]);
}
