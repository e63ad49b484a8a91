import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Automation } from '@botgate/core';
import { describe, expect, it } from 'vitest';
import {
  cliJson,
  makeCatalog,
  observe,
  serverEnv,
  startServer,
  useWorkspace,
  waitFor,
  type RunningServer,
} from './helpers.js';

const root = useWorkspace();

/** `record` appends its tag to a log when it runs: the test counts runs per tag. */
const recordModule = `import { appendFileSync } from 'node:fs';
export default async function record({ tag, log, ms }) {
  const started = Date.now();
  await new Promise((resolve) => setTimeout(resolve, Number(ms ?? 0)));
  appendFileSync(log, JSON.stringify({ tag, started, ended: Date.now(), pid: process.pid }) + '\\n');
  return { tag };
}
`;

const catalog = makeCatalog(root);
for (const [id, concurrency] of [
  ['record', 8],
  ['record-pair', 2],
] as const) {
  mkdirSync(join(catalog, id), { recursive: true });
  writeFileSync(join(catalog, id, 'index.mjs'), recordModule);
  writeFileSync(
    join(catalog, id, 'automation.yaml'),
    `run: { module: ./index.mjs }\ninputs:\n  tag: { type: STRING, required: true }\n  log: { type: STRING, required: true }\n  ms: { type: NUMBER, default: 0 }\noutputs:\n  tag: STRING\nconcurrency: ${concurrency}\nretries: 2\ntimeout: 30s\n`,
  );
}

const readLog = (path: string) =>
  readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { tag: string; started: number; ended: number; pid: number });

/** Logs in as `username`, allocates the automation with `concurrencyLimit`, and answers its execution URL and token. */
const allocateApiTask = async (
  node: RunningServer,
  automation: Automation,
  username: string,
  apiKey: string,
  concurrencyLimit: number,
) => {
  const post = async (path: string, body: unknown, headers: Record<string, string> = {}, method = 'POST') =>
    (
      await fetch(`${node.url}${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      })
    ).json();
  const { token } = (await post('/v1/authentication', { username, apiKey })) as { token: string };
  await post(
    '/orchestrator/v1/hotbot/config/create',
    { fileId: String(automation.fileId), concurrencyLimit },
    { 'x-authorization': token },
    'PUT',
  );
  const access = (await post(
    '/orchestrator/v1/hotbot/config/accessdetails',
    { botRepositoryPath: [automation.repositoryPath] },
    { 'x-authorization': token },
  )) as {
    accessDetails: Record<string, { url: string; headers: { 'X-Authorization': string } }>;
  };
  return access.accessDetails[automation.repositoryPath] as { url: string; headers: { 'X-Authorization': string } };
};

describe.skipIf(!process.env.BOTGATE_TEST_DATABASE_URL)('three nodes on one PostgreSQL', () => {
  it('runs 2,000 triggers through all three adapters exactly once while a node is killed with kill -9', async () => {
    const log = join(root, 'runs.log');
    writeFileSync(log, '');
    const env = await serverEnv(join(root, 'data'), catalog, { BOTGATE_LEASE: '3s', BOTGATE_CONCURRENCY: '16' });
    const { uuid } = await cliJson<{ uuid: string }>(['local-api', 'add', 'record'], env);
    const { key } = await cliJson<{ key: string }>(
      ['process-api', 'key', 'add', 'load', '--permissions', 'trigger_processes,read_runs'],
      env,
    );
    const { apiKey } = await cliJson<{ apiKey: string }>(['users', 'add', 'ops', '--role', 'admin'], env);
    const { workspaceId, processes } = await cliJson<{
      workspaceId: string;
      processes: Array<{ automationId: string; processId: string }>;
    }>(['process-api', 'list'], env);
    const processId = processes.find((p) => p.automationId === 'record')?.processId as string;

    const nodes: RunningServer[] = [];
    for (let i = 0; i < 3; i++) nodes.push(await startServer(env));
    const observer = await observe(join(root, 'data'), catalog, env);
    try {
      const execution = await allocateApiTask(
        nodes[0] as RunningServer,
        observer.catalog.get('record'),
        'ops',
        apiKey,
        8,
      );

      let killed = false;
      const alive = () => nodes.filter((_, i) => !(killed && i === 1));
      /** Sends one trigger; a node that died answers nothing, so the client retries elsewhere with the same key. */
      const trigger = async (n: number): Promise<void> => {
        const tag = `t${n}`;
        for (let attempt = 0; ; attempt++) {
          const candidates = alive();
          const node = candidates[(n + attempt) % candidates.length] as RunningServer;
          try {
            let response: Response;
            if (n % 3 === 0) {
              response = await fetch(`${node.url}/api?uuid=${uuid}&tag=${tag}&log=${encodeURIComponent(log)}&ms=5`, {
                headers: { 'idempotency-key': tag },
              });
            } else if (n % 3 === 1) {
              response = await fetch(`${node.url}/process-v1/workspaces/${workspaceId}/processes/${processId}/runs`, {
                method: 'POST',
                headers: {
                  'content-type': 'application/json',
                  authorization: `RC-WSKEY ${key}`,
                  'idempotency-key': tag,
                },
                body: JSON.stringify({ tag, log, ms: 5 }),
              });
            } else {
              const url = execution.url.replace(/^http:\/\/[^/]+/, node.url);
              response = await fetch(url, {
                method: 'POST',
                headers: {
                  'content-type': 'application/json',
                  'x-authorization': execution.headers['X-Authorization'],
                },
                body: JSON.stringify({
                  botInput: { tag: { type: 'STRING', string: tag }, log: { type: 'STRING', string: log } },
                }),
              });
            }
            if (response.status === 429) {
              // Over the API Task's limit: wait and try again, but not forever.
              if (attempt > 3000) throw new Error(`${tag}: still refused with 429 after ${attempt} tries`);
              await new Promise((resolve) => setTimeout(resolve, 20));
              continue;
            }
            expect(response.status).toBe(200);
            await response.arrayBuffer();
            return;
          } catch (error) {
            if (attempt > 20) throw error;
          }
        }
      };

      const total = 2000;
      let sent = 0;
      const workers = Array.from({ length: 24 }, async () => {
        while (sent < total) {
          const n = sent++;
          if (n === 700 && !killed) {
            killed = true;
            nodes[1]?.process.kill('SIGKILL');
          }
          await trigger(n);
        }
      });
      await Promise.all(workers);
      expect(killed).toBe(true);

      // Every queued job ends, the killed node's included (its lease runs out and another node takes them).
      await waitFor(
        'every job to end',
        async () => {
          const counts = await observer.jobs.counts();
          return counts.queued + counts.running === 0 ? counts : undefined;
        },
        90_000,
      );
      const jobs = await observer.jobs.list({ limit: 10_000 });
      const queuedTags = new Set(
        jobs.filter((j) => j.adapter !== 'api-task').map((j) => String((j.inputs.tag as { value: string }).value)),
      );
      expect(queuedTags.size).toBe(Math.ceil((total * 2) / 3));
      expect(jobs.filter((j) => j.adapter !== 'api-task').every((j) => j.state === 'succeeded')).toBe(true);

      const runs = readLog(log);
      const counts = new Map<string, number>();
      for (const run of runs) counts.set(run.tag, (counts.get(run.tag) ?? 0) + 1);
      // None lost: every trigger ran.
      for (let n = 0; n < total; n++) expect(counts.get(`t${n}`) ?? 0).toBeGreaterThan(0);
      // None twice, except a queued job retried after its node died, or a real-time call the client retried.
      const retried = new Set(
        jobs.filter((j) => j.attempt > 1).map((j) => String((j.inputs.tag as { value: string }).value)),
      );
      const twice = [...counts].filter(([, count]) => count > 1).map(([tag]) => tag);
      for (const tag of twice) expect(retried.has(tag) || Number(tag.slice(1)) % 3 === 2).toBe(true);
    } finally {
      for (const node of nodes)
        if (node.process.exitCode === null && node.process.signalCode === null) node.process.kill('SIGTERM');
      await Promise.all(nodes.map((node) => node.exited));
    }
  }, 240_000);

  it("holds an automation's concurrency across the cluster", async () => {
    const log = join(root, 'pairs.log');
    writeFileSync(log, '');
    const env = await serverEnv(join(root, 'data-pairs'), catalog, { BOTGATE_CONCURRENCY: '16' });
    const { uuid } = await cliJson<{ uuid: string }>(['local-api', 'add', 'record-pair'], env);
    const nodes: RunningServer[] = [];
    for (let i = 0; i < 3; i++) nodes.push(await startServer(env));
    const observer = await observe(join(root, 'data-pairs'), catalog, env);
    try {
      const answered = await Promise.all(
        Array.from({ length: 60 }, async (_, n) => {
          const response = await fetch(
            `${nodes[n % 3]?.url}/api?uuid=${uuid}&tag=p${n}&log=${encodeURIComponent(log)}&ms=40`,
          );
          expect(response.status).toBe(200);
          return { n, msUnixTime: ((await response.json()) as { msUnixTime: string }).msUnixTime };
        }),
      );
      // A job triggered on one node is answered by the others.
      for (const { n, msUnixTime } of answered.slice(0, 6)) {
        const status = await fetch(`${nodes[(n + 1) % 3]?.url}/api/job?uuid=${uuid}&msUnixTime=${msUnixTime}`);
        expect(status.status).toBe(200);
        expect(((await status.json()) as { msUnixTime: string }).msUnixTime).toBe(msUnixTime);
      }
      await waitFor(
        'all pairs to run',
        async () => {
          const counts = await observer.jobs.counts({ automationId: 'record-pair' });
          return counts.succeeded === 60 ? true : undefined;
        },
        60_000,
      );
      const jobs = await observer.jobs.list({ automationId: 'record-pair', limit: 100 });
      // Measured by the jobs themselves: each wrote when it began and ended, on whichever node it ran.
      const runs = readLog(log);
      expect(runs).toHaveLength(60);
      expect(new Set(runs.map((r) => r.pid)).size).toBeGreaterThan(1);
      const events = runs
        .flatMap(
          (r) =>
            [
              [r.started, 1],
              [r.ended, -1],
            ] as const,
        )
        .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      let running = 0;
      let most = 0;
      for (const [, delta] of events) most = Math.max(most, (running += delta));
      expect(most).toBeLessThanOrEqual(2);
      expect(new Set(jobs.map((j) => j.id)).size).toBe(60);
    } finally {
      for (const node of nodes) node.process.kill('SIGTERM');
      await Promise.all(nodes.map((node) => node.exited));
    }
  }, 120_000);

  it("holds an API Task's concurrencyLimit across the cluster: 6 calls over 3 nodes, limit 2", async () => {
    const env = await serverEnv(join(root, 'data-slots'), catalog);
    const { apiKey } = await cliJson<{ apiKey: string }>(['users', 'add', 'ops', '--role', 'admin'], env);
    const nodes: RunningServer[] = [];
    for (let i = 0; i < 3; i++) nodes.push(await startServer(env));
    const observer = await observe(join(root, 'data-slots'), catalog, env);
    try {
      const execution = await allocateApiTask(
        nodes[0] as RunningServer,
        observer.catalog.get('sleep'),
        'ops',
        apiKey,
        2,
      );
      const statuses = await Promise.all(
        Array.from({ length: 6 }, (_, n) =>
          fetch(execution.url.replace(/^http:\/\/[^/]+/, (nodes[n % 3] as RunningServer).url), {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-authorization': execution.headers['X-Authorization'] },
            body: JSON.stringify({ botInput: { seconds: { type: 'NUMBER', number: '1.5' } } }),
          }).then((r) => r.status),
        ),
      );
      expect(statuses.filter((s) => s === 200)).toHaveLength(2);
      expect(statuses.filter((s) => s === 429)).toHaveLength(4);
    } finally {
      for (const node of nodes) node.process.kill('SIGTERM');
      await Promise.all(nodes.map((node) => node.exited));
    }
  }, 120_000);
});
