// Profiles the status path: `node bench/profile-status.mjs [jobs=1000] [seconds=5]` seeds finished
// jobs, runs `botgate serve` under --cpu-prof with EMILY's `GET /api/job` as load (16 connections),
// and prints bench/profile-summary.mjs's table of the server's profile.
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBotgateEnv, exposeAutomation, startBotgate } from './lib/botgate-server.mjs';
import { childJson } from './lib/child-json.mjs';
import { load, root } from './lib/processes.mjs';

const jobs = Number(process.argv[2] ?? 1000);
const seconds = Number(process.argv[3] ?? 5);
const msBase = 1_700_000_000_000;
const profileDir = mkdtempSync(join(tmpdir(), 'botgate-profile-'));
const { env, dataDir, cleanup } = createBotgateEnv({ BOTGATE_WORKER: 'false' });
try {
  const routes = await exposeAutomation(env, 'echo');
  await childJson(join(root, 'bench/workers/seed-jobs.mjs'), {
    filename: join(dataDir, 'botgate.sqlite'),
    jobs,
    state: 'finished',
    automationId: 'echo',
    uuid: routes.uuid,
    processId: routes.runsPath.split('/')[5],
    msBase,
  });
  const server = await startBotgate(env, ['--cpu-prof', `--cpu-prof-dir=${profileDir}`]);
  const url = `${server.url}/api/job?uuid=${routes.uuid}&msUnixTime=${msBase + Math.floor(jobs / 2) + 1}`;
  const result = await load({ url, connections: 16, duration: seconds });
  console.log(`${Math.round(result.requests?.average ?? result.rps ?? 0)} req/s`, JSON.stringify(result).slice(0, 200));
  await server.stop();
  const file = readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile'));
  console.log(join(profileDir, file));
} finally {
  cleanup();
}
