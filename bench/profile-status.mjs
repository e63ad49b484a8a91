// Profiles the status path: `node bench/profile-status.mjs [jobs=1000] [seconds=5] [emily|robocorp]`
// seeds finished jobs, runs `botgate serve` under --cpu-prof with EMILY's `GET /api/job` or
// Robocorp's `GET …/runs/{id}` as load (16 connections), and prints the profile's path, for
// `node bench/profile-summary.mjs <file> 40`.
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSeededStatusServer } from './lib/botgate-server.mjs';
import { load } from './lib/processes.mjs';

const jobs = Number(process.argv[2] ?? 1000);
const seconds = Number(process.argv[3] ?? 5);
const robocorp = process.argv[4] === 'robocorp';
const profileDir = mkdtempSync(join(tmpdir(), 'botgate-profile-'));
const seeded = await startSeededStatusServer(jobs, ['--cpu-prof', `--cpu-prof-dir=${profileDir}`]);
try {
  const result = await load({
    url: `${seeded.server.url}${robocorp ? seeded.runPath : seeded.jobPath}`,
    ...(robocorp ? { headers: seeded.runHeaders } : {}),
    connections: 16,
    duration: seconds,
  });
  console.log(`${Math.round(result.rps)} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms`);
} finally {
  await seeded.stop();
}
console.log(
  join(
    profileDir,
    readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile')),
  ),
);
