// One trigger figure of two (or more) server builds, measured in alternating rounds, so that this
// machine's slow and fast spells fall on both:
//   node bench/compare-builds.mjs <emily|emily-pg|robocorp|robocorp-pg|robocorp-status> '{"before":"<bin>","after":"<bin>"}' [rounds=3] [seconds=5]
// Each <bin> is a build's `apps/server/bin/botgate.js`. An earlier commit's build: check its
// `packages` and `apps` out, `npm run build`, copy `apps/server/{bin,dist,package.json}` to a
// folder of their own with a `node_modules` link to this checkout's, and check HEAD out again.
// `emily` and `robocorp` are suite 1's loads (SQLite, 16 connections), `emily-pg` the first on
// PostgreSQL (at BOTGATE_TEST_POSTGRES); `robocorp-pg` is suite 3's `POST …/runs` (PostgreSQL, 10
// in flight). Each build sets its own data up with its own CLI, since each build migrates to its
// own schema. `robocorp-status` is suite 4's `GET …/runs/{id}` at 1k jobs (SQLite, 16
// connections), on data this checkout's CLI and seeder made: for builds of the same schema only.
// `execute` and `execute-50` are suite 2's `POST …/execute` of `echo` at 1 and 50 clients (SQLite),
// allocated through this checkout's CLI: for builds of the same schema only.
import { spawn } from 'node:child_process';
import { allocateApiTasks, createBotgateEnv, startSeededStatusServer } from './lib/botgate-server.mjs';
import { withDatabase } from './lib/postgres.mjs';
import { load, startServer } from './lib/processes.mjs';

const [which, buildsJson, rounds = '3', seconds = '5'] = process.argv.slice(2);
const modes = ['emily', 'emily-pg', 'robocorp', 'robocorp-pg', 'robocorp-status', 'execute', 'execute-50'];
if (!modes.includes(which) || !buildsJson)
  throw new Error(`usage: compare-builds.mjs <${modes.join('|')}> '{"name":"<bin>",…}' [rounds] [seconds]`);
const builds = JSON.parse(buildsJson);

const cli = (bin, args, env) =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args, '--json'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`${args.join(' ')} exited ${code}`)),
    );
  });

const report = async (name, server, options) => {
  await load({ ...options, duration: 1 });
  const cpu = server.cpuMs();
  const result = await load({ ...options, duration: Number(seconds) });
  const cpuUs = ((server.cpuMs() - cpu) * 1000) / result.requests;
  console.log(
    `${name}: ${Math.round(result.rps)} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms, ${cpuUs.toFixed(0)} µs of server CPU a request`,
  );
};

const measureStatus = async (name, bin) => {
  const seeded = await startSeededStatusServer(1000, [], bin);
  try {
    await report(name, seeded.server, {
      url: `${seeded.server.url}${seeded.runPath}`,
      headers: seeded.runHeaders,
      connections: 16,
    });
  } finally {
    await seeded.stop();
  }
};

const measureExecute = async (name, bin, connections) => {
  const { env, cleanup } = createBotgateEnv();
  try {
    const server = await startServer([bin, 'serve'], { ...env, BOTGATE_LOG_LEVEL: 'info' });
    try {
      const access = await allocateApiTasks(server, env, ['echo'], 64);
      await report(name, server, {
        url: access.echo.url,
        connections,
        method: 'POST',
        headers: { 'content-type': 'application/json', ...access.echo.headers },
        body: JSON.stringify({ botInput: { message: { type: 'STRING', string: 'hello' } } }),
      });
    } finally {
      await server.stop();
    }
  } finally {
    cleanup();
  }
};

const measure = async (name, bin, extraEnv) => {
  const { env, cleanup } = createBotgateEnv({ BOTGATE_WORKER: 'false', ...extraEnv });
  try {
    const skill = await cli(bin, ['local-api', 'add', 'echo'], env);
    const robocorp = await cli(bin, ['process-api', 'secret', 'echo'], env);
    const server = await startServer([bin, 'serve'], { ...env, BOTGATE_LOG_LEVEL: 'info' });
    try {
      const options = which.startsWith('emily')
        ? { url: `${server.url}/api?uuid=${skill.uuid}`, connections: 16 }
        : {
            url: `${server.url}/workspace-v1/workspaces/${robocorp.workspaceId}/processes/${robocorp.processId}/runs`,
            connections: which === 'robocorp' ? 16 : 10,
            method: 'POST',
            headers: { 'content-type': 'application/json', 'robocloud-process-secret': robocorp.secret },
            body: '{"message":"hello"}',
          };
      await report(name, server, options);
    } finally {
      await server.stop();
    }
  } finally {
    cleanup();
  }
};

for (let round = 0; round < Number(rounds); round++)
  for (const [name, bin] of Object.entries(builds))
    if (which === 'robocorp-status') await measureStatus(name, bin);
    else if (which.startsWith('execute')) await measureExecute(name, bin, which === 'execute-50' ? 50 : 1);
    else if (which.endsWith('-pg'))
      await withDatabase((database) => measure(name, bin, { BOTGATE_DATABASE: database }));
    else await measure(name, bin, {});
