// Real-time execute latency: 1,000 sequential `POST …/execute` calls of the echo and zip-code
// module automations on `botgate serve`, against a bare express 5 route answering the same JSON,
// each server in its own process. Prints p50 / p99 / p999 in milliseconds.
//   node bench/api-task-execute.mjs [calls=1000]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const calls = Number(process.argv[2] ?? 1000);
const root = new URL('..', import.meta.url).pathname;
const bin = join(root, 'apps/server/bin/botgate.js');
const dataDir = mkdtempSync(join(tmpdir(), 'botgate-bench-'));
const env = { ...process.env, BOTGATE_DATA_DIR: dataDir, BOTGATE_CATALOG: join(root, 'examples'), BOTGATE_PORT: '0', BOTGATE_LOG_LEVEL: 'warn' };

const run = (args) => new Promise((resolve, reject) => {
  const child = spawn(process.execPath, [bin, ...args, '--json'], { env });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`botgate ${args.join(' ')} exited ${code}`))));
});

/** Starts a server process and resolves with its port, read from its first JSON line that has one. */
const start = (args, extraEnv = {}) => new Promise((resolve, reject) => {
  const child = spawn(process.execPath, args, { env: { ...env, BOTGATE_LOG_LEVEL: 'info', ...extraEnv }, stdio: ['ignore', 'pipe', 'inherit'] });
  createInterface({ input: child.stdout }).on('line', (line) => {
    try {
      const { port } = JSON.parse(line);
      if (port) resolve({ child, port });
    } catch {}
  });
  child.on('exit', (code) => reject(new Error(`server exited ${code}`)));
});

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

const measure = async (label, url, headers, body) => {
  const send = () => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body }).then(async (r) => {
    if (r.status !== 200) throw new Error(`${label}: ${r.status} ${await r.text()}`);
    await r.arrayBuffer();
  });
  for (let i = 0; i < 100; i++) await send(); // warm-up: JIT, worker threads, connections
  const samples = [];
  for (let i = 0; i < calls; i++) {
    const t0 = performance.now();
    await send();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  const fmt = (v) => Number(v.toFixed(3));
  return { endpoint: label, calls, p50_ms: fmt(percentile(samples, 0.5)), p99_ms: fmt(percentile(samples, 0.99)), p999_ms: fmt(percentile(samples, 0.999)) };
};

await run(['users', 'add', 'bench', '--role', 'admin', '--password', 'bench-password']);
const botgate = await start([...(process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROFILE] : []), bin, 'serve']);
const baseline = await start([join(root, 'bench/baseline-server.mjs')]);
try {
  const base = `http://127.0.0.1:${botgate.port}`;
  const post = async (path, body, token) => {
    const r = await fetch(`${base}${path}`, { method: path.endsWith('create') ? 'PUT' : 'POST', headers: { 'content-type': 'application/json', ...(token ? { 'x-authorization': token } : {}) }, body: JSON.stringify(body) });
    return r.json();
  };
  const { token } = await post('/v1/authentication', { username: 'bench', password: 'bench-password' });
  const automations = await run(['automations', 'list']);
  const access = {};
  for (const id of ['echo', 'zip-code']) {
    const a = automations.find((x) => x.id === id);
    await post('/orchestrator/v1/hotbot/config/create', { fileId: String(a.fileId), concurrencyLimit: 16 }, token);
    const details = await post('/orchestrator/v1/hotbot/config/accessdetails', { botRepositoryPath: [a.repositoryPath] }, token);
    access[id] = details.accessDetails[a.repositoryPath];
  }
  const results = [
    await measure('bare express 5 (baseline)', `http://127.0.0.1:${baseline.port}/execute`, {}, JSON.stringify({ botInput: { iStrZipCode: { type: 'STRING', string: '76131' } } })),
    await measure('execute echo', access.echo.url, access.echo.headers, JSON.stringify({ botInput: { message: { type: 'STRING', string: 'hello' } } })),
    await measure('execute zip-code', access['zip-code'].url, access['zip-code'].headers, JSON.stringify({ botInput: { iStrZipCode: { type: 'STRING', string: '76131' } } })),
  ];
  console.log(`real-time execute latency, ${calls} sequential calls, one client, servers in their own processes`);
  console.table(results);
} finally {
  botgate.child.kill('SIGTERM');
  baseline.child.kill('SIGTERM');
  await new Promise((resolve) => setTimeout(resolve, 500));
  rmSync(dataDir, { recursive: true, force: true });
}
