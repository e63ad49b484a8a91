// What checking an execution token against the records costs on the execute path (issue 14):
// the signature check alone (what execute did before) against the whole check (signature, then
// the access stamp read and the token's cached verdict), in process, on SQLite and, when
// BOTGATE_BENCH_POSTGRES names a server, on PostgreSQL. Needs a build (`npm run build`).
//   node bench/access-check.mjs [calls=20000]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const calls = Number(process.argv[2] ?? 20000);
const root = new URL('../', import.meta.url).pathname;
const { createCore } = await import(join(root, 'packages/core/dist/index.js'));
const { apiTaskDescriptor, createApiTaskAccess } = await import(join(root, 'packages/api-task/dist/index.js'));

const perCall = async (call) => {
  for (let i = 0; i < 2000; i++) await call();
  const started = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) await call();
  return Number(process.hrtime.bigint() - started) / 1000 / calls;
};

const measure = async (label, database) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'botgate-access-check-'));
  const core = await createCore({
    dataDir,
    catalogDir: join(root, 'examples'),
    commandEnv: {},
    adapters: [apiTaskDescriptor],
    ...(database ? { database } : {}),
  });
  try {
    const access = createApiTaskAccess(core);
    const user = await access.users.add(`bench-${Date.now()}`, 'developer');
    const automation = core.catalog.get('echo');
    const allocation = await access.allocations.upsert(automation, null, 5);
    const token = access.executionDetails(allocation, user, 'http://bench').headers['X-Authorization'];
    await access.check.execution(token, allocation.id);
    // Interleaved rounds, the best of each kept: on a shared machine the noise only ever adds.
    let signature = Infinity;
    let whole = Infinity;
    for (let round = 1; round <= 7; round++) {
      signature = Math.min(signature, await perCall(async () => access.tokens.verifyExecution(token, allocation.id)));
      whole = Math.min(whole, await perCall(() => access.check.execution(token, allocation.id)));
    }
    console.log(
      `${label}: signature only ${signature.toFixed(2)} µs/call, whole check ${whole.toFixed(2)} µs/call, records' share ${(whole - signature).toFixed(2)} µs/call`,
    );
  } finally {
    await core.close({ graceMs: 0 });
    rmSync(dataDir, { recursive: true, force: true });
  }
};

await measure('SQLite', undefined);
if (process.env.BOTGATE_BENCH_POSTGRES)
  await measure('PostgreSQL', { client: 'pg', connectionString: process.env.BOTGATE_BENCH_POSTGRES });
