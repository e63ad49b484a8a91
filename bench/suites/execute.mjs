// 2. Real-time execute latency: Automation Anywhere's `POST …/execute` of the `echo` and
// `zip-code` module automations at 1, 10 and 50 concurrent clients, against bare express 5 and
// bare node:http routes answering the same bytes.
import { allocateApiTasks, createBotgateEnv, startBotgate } from '../lib/botgate-server.mjs';
import { root, startServer } from '../lib/processes.mjs';
import { alternate } from '../lib/rounds.mjs';
import { figure } from '../lib/report.mjs';

const suite = '2. execute latency';

export default async function execute({ seconds }) {
  const { env, cleanup } = createBotgateEnv();
  const server = await startBotgate(env);
  const servers = [server];
  try {
    const access = await allocateApiTasks(server, env, ['echo', 'zip-code'], 64);
    const bodies = {
      echo: JSON.stringify({ botInput: { message: { type: 'STRING', string: 'hello' } } }),
      'zip-code': JSON.stringify({ botInput: { iStrZipCode: { type: 'STRING', string: '76131' } } }),
    };
    const call = (id) =>
      fetch(access[id].url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...access[id].headers },
        body: bodies[id],
      }).then((r) => r.json());
    const answers = { execute: await call('zip-code') };
    const baselineEnv = { ...process.env, BENCH_ANSWERS: JSON.stringify(answers) };
    const express = await startServer([`${root}/bench/servers/baseline-express.mjs`], baselineEnv);
    const http = await startServer([`${root}/bench/servers/baseline-http.mjs`], baselineEnv);
    servers.push(express, http);

    const options = (url, headers, body, connections) => ({
      url,
      connections,
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
    const figures = [];
    for (const connections of [1, 10, 50]) {
      const measured = await alternate(
        {
          bare: options(`${express.url}/execute`, {}, bodies['zip-code'], connections),
          floor: options(`${http.url}/execute`, {}, bodies['zip-code'], connections),
          echo: options(access.echo.url, access.echo.headers, bodies.echo, connections),
          'zip-code': options(access['zip-code'].url, access['zip-code'].headers, bodies['zip-code'], connections),
        },
        { seconds },
      );
      const { bare, floor } = measured;
      const clients = `${connections} client${connections > 1 ? 's' : ''}`;
      for (const id of ['echo', 'zip-code']) {
        const ours = measured[id];
        const name = `execute ${id}, ${clients}`;
        const isEcho = id === 'echo';
        figures.push(
          figure({
            suite,
            name: `${name} p50`,
            value: ours.p50,
            unit: 'ms',
            baseline: 'bare express 5',
            baselineValue: bare.p50,
            ...(isEcho && connections === 1
              ? { target: '≤ bare express + 0.1 ms', met: ours.p50 <= bare.p50 + 0.1 }
              : {}),
          }),
          figure({
            suite,
            name: `${name} p99`,
            value: ours.p99,
            unit: 'ms',
            baseline: 'bare express 5',
            baselineValue: bare.p99,
            ...(isEcho && connections === 1
              ? { target: '≤ 1.25 × bare express', met: ours.p99 <= 1.25 * bare.p99 }
              : {}),
          }),
          figure({
            suite,
            name: `${name} p999`,
            value: ours.p999,
            unit: 'ms',
            baseline: 'bare express 5',
            baselineValue: bare.p999,
          }),
          figure({
            suite,
            name: `${name} throughput`,
            value: ours.rps,
            unit: 'req/s',
            baseline: 'bare express 5',
            baselineValue: bare.rps,
            ...(isEcho && connections === 50
              ? { target: '≥ 0.8 × bare express', met: ours.rps >= 0.8 * bare.rps }
              : {}),
          }),
        );
        if (isEcho)
          figures.push(
            figure({
              suite,
              name: `${name} throughput vs bare node:http`,
              value: ours.rps,
              unit: 'req/s',
              baseline: 'bare node:http',
              baselineValue: floor.rps,
            }),
          );
      }
    }
    return figures;
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    cleanup();
  }
}
