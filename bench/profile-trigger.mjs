// Profiles the trigger path: `node bench/profile-trigger.mjs [emily|robocorp|robocorp-pg] [seconds=5] [profile=yes]`
// runs an API node (`worker: false`, SQLite synchronous=full, as suite 1, or BENCH_SQLITE_SYNCHRONOUS=normal) with EMILY's
// `GET /api?uuid=` or Robocorp's `POST …/runs` as load (16 connections, suite 1's requests), or
// suite 3's `POST …/runs` on PostgreSQL (`robocorp-pg`: at BOTGATE_TEST_POSTGRES, 10 connections,
// suite 3's body), prints the rate and the
// server's CPU time per request, and, under --cpu-prof, the profile's path, for
// `node bench/profile-summary.mjs <file> 40`.
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBotgateEnv, exposeAutomation, startBotgate } from './lib/botgate-server.mjs';
import { postgresUrl, withDatabase } from './lib/postgres.mjs';
import { load } from './lib/processes.mjs';

const which = process.argv[2] ?? 'emily';
const modes = ['emily', 'robocorp', 'robocorp-pg'];
if (!modes.includes(which)) throw new Error(`usage: profile-trigger.mjs <${modes.join('|')}> [seconds] [yes|no]`);
if (which === 'robocorp-pg' && !postgresUrl) throw new Error('robocorp-pg needs BOTGATE_TEST_POSTGRES');
const seconds = Number(process.argv[3] ?? 5);
const profile = process.argv[4] !== 'no';
const profileDir = mkdtempSync(join(tmpdir(), 'botgate-profile-'));
const measure = async (database) => {
  const { env, cleanup } = createBotgateEnv({
    BOTGATE_WORKER: 'false',
    ...(database ? { BOTGATE_DATABASE: database } : {}),
    ...(process.env.BENCH_SQLITE_SYNCHRONOUS
      ? { BOTGATE_SQLITE_SYNCHRONOUS: process.env.BENCH_SQLITE_SYNCHRONOUS }
      : {}),
  });
  const routes = await exposeAutomation(env, 'echo');
  const server = await startBotgate(env, profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []);
  try {
    const options =
      which === 'emily'
        ? { url: `${server.url}${routes.triggerPath}` }
        : {
            url: `${server.url}${routes.runsPath}`,
            method: 'POST',
            headers: { 'content-type': 'application/json', 'robocloud-process-secret': routes.secret },
            body: database ? '{"message":"hello"}' : JSON.stringify({ message: 'hello', count: 1 }),
          };
    const connections = database ? 10 : 16;
    await load({ ...options, connections, duration: 1 });
    const cpuBefore = server.cpuMs();
    const result = await load({ ...options, connections, duration: seconds });
    const cpuUs = ((server.cpuMs() - cpuBefore) * 1000) / result.requests;
    console.log(
      `${Math.round(result.rps)} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms, ${cpuUs.toFixed(0)} µs of server CPU a request`,
    );
  } finally {
    await server.stop();
    cleanup();
  }
};
await (which === 'robocorp-pg' ? withDatabase(measure) : measure(undefined));
if (profile)
  console.log(
    join(
      profileDir,
      readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile')),
    ),
  );
