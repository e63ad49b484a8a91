// Profiles the real-time path: `node bench/profile-execute.mjs [connections=1] [seconds=5]` runs
// `botgate serve` under --cpu-prof with Automation Anywhere's `POST …/execute` of `echo` as load,
// and prints the profile's path, for `node bench/profile-summary.mjs <file> 40`.
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allocateApiTasks, createBotgateEnv, startBotgate } from './lib/botgate-server.mjs';
import { load } from './lib/processes.mjs';

const connections = Number(process.argv[2] ?? 1);
const seconds = Number(process.argv[3] ?? 5);
const profileDir = mkdtempSync(join(tmpdir(), 'botgate-profile-'));
const { env, cleanup } = createBotgateEnv();
const server = await startBotgate(env, ['--cpu-prof', `--cpu-prof-dir=${profileDir}`]);
try {
  const access = await allocateApiTasks(server, env, ['echo'], 64);
  const result = await load({
    url: access.echo.url,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...access.echo.headers },
    body: JSON.stringify({ botInput: { message: { type: 'STRING', string: 'hello' } } }),
    connections,
    duration: seconds,
  });
  console.log(`${Math.round(result.rps)} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms`);
} finally {
  await server.stop();
  cleanup();
}
console.log(
  join(
    profileDir,
    readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile')),
  ),
);
