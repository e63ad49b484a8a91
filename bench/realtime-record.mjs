// What recording a real-time run costs (decision 0009), in process on SQLite: the two writes of
// one run (its `running` insert and its end) answered once written, or once also flushed to disk
// (`durable`), and a whole `core.jobs.execute` of the echo module. Needs a build (`npm run build`).
//   node bench/realtime-record.mjs [runs=1500]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const runs = Number(process.argv[2] ?? 1500);
const dist = new URL('../packages/core/dist/', import.meta.url).pathname;
const { createDatabase } = await import(join(dist, 'queue/database.js'));
const { migrate } = await import(join(dist, 'queue/migrate.js'));
const { insertJob } = await import(join(dist, 'queue/insert-jobs.js'));
const { createJobFinisher } = await import(join(dist, 'queue/finish-job.js'));
const { createCore } = await import(join(dist, 'index.js'));

const dataDir = mkdtempSync(join(tmpdir(), 'botgate-realtime-record-'));
const percentiles = (samples) => {
  samples.sort((a, b) => a - b);
  const at = (p) => samples[Math.min(samples.length - 1, Math.floor(samples.length * p))].toFixed(3);
  return `p50 ${at(0.5)} ms  p99 ${at(0.99)} ms`;
};
const time = async (call) => {
  for (let i = 0; i < 100; i++) await call();
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await call();
    samples.push(performance.now() - started);
  }
  return percentiles(samples);
};

const db = createDatabase({ client: 'sqlite', filename: join(dataDir, 'records.sqlite') });
await migrate(db);
const finish = createJobFinisher(db);
const running = () => ({
  automationId: 'echo',
  adapter: 'bench',
  state: 'running',
  inputs: {},
  inputFiles: [],
  outputs: {},
  outputFiles: [],
  outputWorkItems: [],
  exitCode: null,
  error: null,
  errorCode: null,
  log: '',
  workDir: join(dataDir, 'job'),
  attempt: 1,
  maxAttempts: 1,
  idempotencyKey: null,
  metadata: {},
  workItem: null,
  createdAt: new Date(),
  startedAt: new Date(),
  runAfter: null,
  finishedAt: null,
  leaseOwner: 'bench',
  leaseExpiresAt: Date.now() + 20_000,
});
const outcome = {
  state: 'succeeded',
  outputs: {},
  outputFiles: [],
  outputWorkItems: [],
  exitCode: null,
  error: null,
  errorCode: null,
  log: '',
};
const record = (end) => async () => {
  const job = await insertJob(db, running());
  await end({ id: job.id, nodeId: 'bench', outcome });
};
for (let round = 1; round <= 2; round++) {
  console.log(`record, written (answer after the writes):        ${await time(record(finish.written))}`);
  console.log(`record, durable (answer after the disk flush too): ${await time(record(finish))}`);
}
await db.destroy();

const core = await createCore({
  dataDir: join(dataDir, 'core'),
  catalogDir: new URL('../examples', import.meta.url).pathname,
  commandEnv: process.env,
});
const execute = () =>
  core.jobs.execute({
    automationId: 'echo',
    adapter: 'bench',
    inputs: { message: { type: 'STRING', value: 'hi' } },
    timeoutMs: 5000,
  });
console.log(`core.jobs.execute of echo (isolation: none):       ${await time(execute)}`);
await core.close({ graceMs: 0 });
rmSync(dataDir, { recursive: true, force: true });
