// argv[2]: JSON { runs }. Times `runs` sequential `/bin/true` spawns, then as many jobs of a
// `/bin/true` command automation (SQLite, synchronous=full), each from enqueue to succeeded.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore } from '@botgate/core';

const { runs } = JSON.parse(process.argv[2]);
const percentile = (samples, p) =>
  [...samples].sort((a, b) => a - b)[Math.min(samples.length - 1, Math.floor(samples.length * p))];
const dir = mkdtempSync(join(tmpdir(), 'botgate-bench-'));
mkdirSync(join(dir, 'catalog/true'), { recursive: true });
writeFileSync(join(dir, 'catalog/true/automation.yaml'), 'name: /bin/true\nrun:\n  command: [/bin/true]\n');

const spawned = [];
for (let i = 0; i < runs + 20; i++) {
  const t0 = performance.now();
  await new Promise((resolve, reject) =>
    spawn('/bin/true', [], { stdio: 'ignore' }).on('exit', resolve).on('error', reject),
  );
  if (i >= 20) spawned.push(performance.now() - t0);
}

const core = await createCore({
  dataDir: join(dir, 'data'),
  catalogDir: join(dir, 'catalog'),
  commandEnv: { PATH: process.env.PATH },
});
await core.worker.start();
const ours = [];
try {
  for (let i = 0; i < runs + 20; i++) {
    const t0 = performance.now();
    const finished = new Promise((resolve) => {
      const off = core.jobs.onFinished((job) => {
        off();
        resolve(job);
      });
    });
    await core.jobs.enqueue({ automationId: 'true', adapter: 'bench' });
    const job = await finished;
    if (job.state !== 'succeeded') throw new Error(`job ${job.id} ${job.state}: ${job.error}`);
    if (i >= 20) ours.push(performance.now() - t0);
  }
} finally {
  await core.close({ graceMs: 0 });
  rmSync(dir, { recursive: true, force: true });
}
console.log(
  JSON.stringify({
    spawnP50: percentile(spawned, 0.5),
    spawnP99: percentile(spawned, 0.99),
    oursP50: percentile(ours, 0.5),
    oursP99: percentile(ours, 0.99),
  }),
);
