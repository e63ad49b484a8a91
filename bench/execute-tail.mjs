// Where execute's tail at one client goes: `node bench/execute-tail.mjs [seconds=8]` runs
// `botgate serve` with bench/lib/request-timing.mjs and Automation Anywhere's `POST …/execute` of
// `echo` at one client, and prints the client's p50/p99 beside the server's own (its `request`
// event to its answer's `finish`) and the time between an answer and the next request, the
// server's main thread's CPU per request (user and system, from /proc), and how many of the slow
// answers a GC pause overlapped. `TMPDIR=/dev/shm` puts the server's data folder in memory;
// `EXTRA_REQUIRE=<file>` loads one more `--require` hook into the server (a statement timer).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allocateApiTasks, createBotgateEnv, startBotgate } from './lib/botgate-server.mjs';
import { load, root } from './lib/processes.mjs';

const seconds = Number(process.argv[2] ?? 8);
const outDir = mkdtempSync(join(tmpdir(), 'botgate-tail-'));
const out = join(outDir, 'timing.json');
const { env, cleanup } = createBotgateEnv({ REQUEST_TIMING_OUT: out });
const server = await startBotgate(env, [
  '--import',
  join(root, 'bench/lib/request-timing.mjs'),
  ...(process.env.EXTRA_REQUIRE ? ['--require', process.env.EXTRA_REQUIRE] : []),
]);
// The main thread's task has the process's id; user and system time in clock ticks (10 ms).
const mainThreadTicks = () => {
  const fields = readFileSync(`/proc/${server.child.pid}/task/${server.child.pid}/stat`, 'utf8')
    .split(') ')[1]
    .split(' ');
  return { user: Number(fields[11]), system: Number(fields[12]) };
};
let result;
let before;
let after;
try {
  const access = await allocateApiTasks(server, env, ['echo'], 64);
  const options = {
    url: access.echo.url,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...access.echo.headers },
    body: JSON.stringify({ botInput: { message: { type: 'STRING', string: 'hello' } } }),
    connections: 1,
  };
  await load({ ...options, duration: 2 });
  before = mainThreadTicks();
  result = await load({ ...options, duration: seconds });
  after = mainThreadTicks();
} finally {
  await server.stop();
  cleanup();
}
const { requests, gcs } = JSON.parse(readFileSync(out, 'utf8'));
rmSync(outDir, { recursive: true, force: true });

// The measured run's requests: the last `seconds` of them by the server's clock.
const end = requests.at(-1)[1];
const measured = requests.filter(([start]) => start > end - seconds * 1000);
const quantiles = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))].toFixed(3);
  return `p50 ${at(0.5)} p99 ${at(0.99)} ms`;
};
const between = measured.slice(1).map(([start], i) => start - measured[i][1]);
const slow = measured.filter(([start, finish]) => finish - start > 1.5);
const overlapped = slow.filter(([start, finish]) => gcs.some(([from, to]) => from < finish && to > start));
const perRequest = (ticks) => ((ticks * 10_000) / result.requests).toFixed(0);
console.log(`client: ${Math.round(result.rps)} req/s, p50 ${result.p50} p99 ${result.p99} ms`);
console.log(`server, request to answer: ${quantiles(measured.map(([start, finish]) => finish - start))}`);
console.log(`between an answer and the next request: ${quantiles(between)}`);
const user = perRequest(after.user - before.user);
const system = perRequest(after.system - before.system);
const cycle = (1e6 / result.rps).toFixed(0);
console.log(`main thread CPU per request: user ${user} µs, system ${system} µs, of a cycle of ${cycle} µs (1 / rate)`);
console.log(
  `answers slower than 1.5 ms: ${slow.length} of ${measured.length}, ${overlapped.length} of them beside a GC pause`,
);
