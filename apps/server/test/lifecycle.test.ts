import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Core } from '@botgate/core';
import {
  cli,
  cliJson,
  freshEnvs,
  isAlive,
  makeCatalog,
  observe,
  processOfJob,
  startServer,
  useWorkspace,
  waitFor,
  type RunningServer,
} from './helpers.js';
import { call, emilySkill, executionAccess, stop } from './lifecycle-helpers.js';

const root = useWorkspace();
const catalog = makeCatalog(root);
// Fails on its first two tries and succeeds on the third: the job's folder (its cwd) keeps the count.
mkdirSync(join(catalog, 'flaky'));
writeFileSync(
  join(catalog, 'flaky', 'automation.yaml'),
  'run: { command: [node, flaky.mjs] }\noutputs:\n  tries: NUMBER\nretries: 2\nretryDelay: 0.4s\n',
);
writeFileSync(
  join(catalog, 'flaky', 'flaky.mjs'),
  `import { existsSync, readFileSync, writeFileSync } from 'node:fs';
const tries = existsSync('tries') ? Number(readFileSync('tries', 'utf8')) + 1 : 1;
writeFileSync('tries', String(tries));
console.error('try', tries);
if (tries < 3) { console.error('failing on try ' + tries); process.exit(tries); }
writeFileSync(process.env.BOTGATE_OUTPUT, JSON.stringify({ tries }));
`,
);

/** A real-time `sleep` of a minute through Automation Anywhere's execute: the waiting call, its job and its process. */
const startMinuteLongRun = async (server: RunningServer, env: Record<string, string>, core: Core) => {
  const access = await executionAccess(server, env, 'sleep');
  const pending = call(access.url, {
    body: { botInput: { seconds: { type: 'NUMBER', number: '60' } } },
    headers: { 'x-authorization': access.token },
  });
  const job = await waitFor(
    'the real-time run to be recorded as running',
    async () => (await core.jobs.list({ adapter: 'api-task', state: 'running' }))[0],
  );
  return { pending, job, pid: await processOfJob(core, job.id) };
};

const freshEnv = freshEnvs(root, catalog);

describe('real-time runs are leased jobs', () => {
  it('answers a real-time command run three times longer than the lease with its outputs', async () => {
    const { env } = await freshEnv({ BOTGATE_LEASE: '2s' });
    const server = await startServer(env);
    try {
      const access = await executionAccess(server, env, 'sleep');
      const executed = await call(access.url, {
        body: { botInput: { seconds: { type: 'NUMBER', number: '6' } } },
        headers: { 'x-authorization': access.token },
      });
      expect(executed).toEqual({
        status: 200,
        body: { hotBotResult: { botOutput: { slept: { type: 'NUMBER', number: '6' } } } },
      });
      expect(server.logLines.join('\n')).not.toContain('recovered a job');
    } finally {
      await stop(server);
    }
  });

  it("ends the waiting call with Automation Anywhere's error and kills the process when the run is canceled", async () => {
    const { dataDir, env } = await freshEnv();
    const server = await startServer(env);
    const core = await observe(dataDir, catalog, env);
    try {
      const { pending, job, pid } = await startMinuteLongRun(server, env, core);
      const canceled = await cli(['jobs', 'cancel', String(job.id)], env);
      expect(canceled.code).toBe(0);
      const answer = await pending;
      expect(answer.status).toBe(409);
      expect(answer.body).toEqual({
        code: 'BOT_EXECUTION_CANCELED',
        details: '',
        message: `the API Task run (job ${job.id}) was canceled before it answered`,
      });
      expect(isAlive(pid)).toBe(false);
      expect(await core.jobs.get(job.id)).toMatchObject({ state: 'canceled', errorCode: 'CANCELED' });
    } finally {
      await stop(server);
    }
  });
});

describe('attempts are data', () => {
  it('keeps every attempt of a job that fails twice then succeeds, spaced by the backoff', async () => {
    const { env } = await freshEnv();
    const server = await startServer(env);
    try {
      const uuid = await emilySkill(env, 'flaky');
      const { body: queued } = await call(`${server.url}/api?uuid=${uuid}`, { method: 'POST', body: {} });
      const status = await waitFor(
        'the flaky job to finish',
        async () => {
          const { body } = await call(`${server.url}/api/job?uuid=${uuid}&msUnixTime=${queued.msUnixTime}`);
          return body.status === 'finished' ? body : undefined;
        },
        20_000,
      );
      expect(status).toMatchObject({ status: 'finished', result: 'succeeded', attempt: 3 });
      expect(
        status.attempts.map((a: { number: number; state: string; error: string | null; exitCode: number | null }) => [
          a.number,
          a.state,
          a.error,
          a.exitCode,
        ]),
      ).toEqual([
        [1, 'failed', 'exit code 1: failing on try 1', 1],
        [2, 'failed', 'exit code 2: failing on try 2', 2],
        [3, 'succeeded', null, 0],
      ]);

      const jobs = await cliJson<Array<{ id: number; automationId: string }>>(
        ['jobs', 'list', '--automation', 'flaky'],
        env,
      );
      const shown = await cliJson<{
        attempts: Array<{
          number: number;
          state: string;
          startedAt: string;
          endedAt: string;
          log: string;
          node: string;
          errorCode: string | null;
        }>;
      }>(['jobs', 'show', String(jobs[0]?.id)], env);
      expect(shown.attempts.map((a) => [a.number, a.state, a.errorCode])).toEqual([
        [1, 'failed', 'EXIT_CODE'],
        [2, 'failed', 'EXIT_CODE'],
        [3, 'succeeded', null],
      ]);
      expect(shown.attempts.map((a) => a.log)).toEqual([
        'try 1\nfailing on try 1\n',
        'try 2\nfailing on try 2\n',
        'try 3\n',
      ]);
      for (const attempt of shown.attempts) expect(attempt.node).toMatch(/\//);
      const gap = (after: number) =>
        Date.parse(shown.attempts[after]?.startedAt ?? '') - Date.parse(shown.attempts[after - 1]?.endedAt ?? '');
      // 0.4 s doubling, jittered to half or more: at least 0.2 s, then at least 0.4 s (less the
      // moment between the wait's start and the attempt's end being stamped).
      expect(gap(1)).toBeGreaterThanOrEqual(190);
      expect(gap(2)).toBeGreaterThanOrEqual(390);
    } finally {
      await stop(server);
    }
  });
});

describe('restart after a crash', () => {
  it("kills an API-only node's real-time run left by a crash within a second of listening again", async () => {
    const { dataDir, env } = await freshEnv({ BOTGATE_WORKER: 'false' });
    const first = await startServer(env);
    const core = await observe(dataDir, catalog, env);
    const { pending, job, pid } = await startMinuteLongRun(first, env, core);
    // The call dies with the server: handled now, before the kill makes it fail.
    const ended = pending.catch(() => undefined);
    first.process.kill('SIGKILL');
    await first.exited;
    await ended;
    expect(isAlive(pid)).toBe(true);
    const second = await startServer(env);
    try {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(isAlive(pid)).toBe(false);
      expect(await core.jobs.get(job.id)).toMatchObject({ state: 'failed', errorCode: 'INTERRUPTED' });
    } finally {
      await stop(second);
    }
  });
});

describe('retention', () => {
  it('removes every row a removed job had in every adapter, and says what it removed', async () => {
    const received: string[] = [];
    const receiver = createServer((req, res) => {
      req.on('data', (chunk: Buffer) => received.push(chunk.toString()));
      req.on('end', () => res.writeHead(204).end());
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const { dataDir, env } = await freshEnv({ BOTGATE_RETENTION: '1s', BOTGATE_LEASE: '1s' });
    const server = await startServer(env);
    const core = await observe(dataDir, catalog, env);
    try {
      const uuid = await emilySkill(env, 'echo');
      const access = await cliJson<{ secret: string; processId: string; workspaceId: string }>(
        ['process-api', 'secret', 'echo'],
        env,
      );
      await cliJson(
        [
          'process-api',
          'webhook',
          'set',
          'echo',
          `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/events`,
        ],
        env,
      );
      const emily = await call(`${server.url}/api?uuid=${uuid}`, { method: 'POST', body: { message: 'from EMILY' } });
      const robocorp = await call(
        `${server.url}/workspace-v1/workspaces/${access.workspaceId}/processes/${access.processId}/runs`,
        {
          body: { message: 'from Robocorp' },
          headers: { 'robocloud-process-secret': access.secret },
        },
      );
      expect([emily.status, robocorp.status]).toEqual([200, 200]);
      // Read before they can expire (one second after they end).
      const jobs = await core.jobs.list();
      expect(jobs).toHaveLength(2);
      // A work item made beforehand, with a file uploaded through its grant, run by run-request.
      const { key } = await cliJson<{ key: string }>(
        ['process-api', 'key', 'add', 'retention', '--permissions', 'trigger_processes,write_work_items'],
        env,
      );
      const base = `${server.url}/process-v1/workspaces/${access.workspaceId}/processes/${access.processId}`;
      const keyed = { authorization: `RC-WSKEY ${key}` };
      const item = await call(`${base}/work-items`, { body: { payload: { message: 'made before' } }, headers: keyed });
      const upload = await call(`${base}/work-items/${item.body.id}/files/upload`, {
        body: { fileName: 'kept.txt', fileSize: 4 },
        headers: keyed,
      });
      const form = new FormData();
      form.append('grant', upload.body.fields.grant);
      form.append('file', new Blob(['kept']), 'kept.txt');
      expect((await fetch(upload.body.url, { method: 'POST', body: form })).status).toBe(204);
      const itemFolder = join(dataDir, 'process-api', 'work-items', item.body.id);
      expect(existsSync(join(itemFolder, 'kept.txt'))).toBe(true);
      const ran = await call(`${base}/run-request`, {
        body: { type: 'workItemIds', workItemIds: [item.body.id] },
        headers: keyed,
      });
      expect(ran.status).toBe(200);
      const third = (await core
        .store('process-api')
        .table('process_api_runs')
        .where({ run_id: ran.body.id })
        .first()) as { job_id: number };
      jobs.push(await core.jobs.get(Number(third.job_id)));
      await waitFor('the webhook to be delivered', async () => (received.length > 0 ? true : undefined));
      await waitFor(
        'the jobs to be removed',
        async () => ((await core.jobs.list()).length === 0 ? true : undefined),
        15_000,
      );
      const ids = jobs.map((job) => job.id);
      const rowsOf = (table: string) =>
        core.store(table.startsWith('local') ? 'local-api' : 'process-api').table(table);
      expect(Number((await rowsOf('local_api_jobs').whereIn('job_id', ids).count({ n: '*' }).first())?.n)).toBe(0);
      expect(Number((await rowsOf('process_api_runs').whereIn('job_id', ids).count({ n: '*' }).first())?.n)).toBe(0);
      expect(Number((await rowsOf('process_api_deliveries').count({ n: '*' }).first())?.n)).toBe(0);
      expect(Number((await rowsOf('process_api_delivery_attempts').count({ n: '*' }).first())?.n)).toBe(0);
      expect(Number((await rowsOf('process_api_work_items').count({ n: '*' }).first())?.n)).toBe(0);
      await waitFor('the work item folder to be removed', async () => (existsSync(itemFolder) ? undefined : true));
      // Read as ended jobs, so only their written attempts are asked for.
      const attempts = await Promise.all(jobs.map((job) => core.jobs.attempts({ ...job, state: 'succeeded' })));
      expect(attempts.flat()).toEqual([]);
      const pruned = () =>
        server.logLines
          .map((line) => JSON.parse(line) as { msg?: string; removed?: Record<string, number> })
          .filter((entry) => entry.msg === 'removed expired jobs');
      const total = (table: string) => pruned().reduce((sum, entry) => sum + (entry.removed?.[table] ?? 0), 0);
      const totals = () => [
        total('jobs'),
        total('local_api_jobs'),
        total('process_api_runs'),
        total('process_api_work_items'),
        total('process_api_deliveries'),
        total('process_api_delivery_attempts'),
      ];
      // The log reaches us a moment after the removal (pino writes every 250 ms).
      await waitFor('every removal to be logged', async () => (totals()[0] === 3 ? true : undefined));
      expect(totals()).toEqual([3, 1, 2, 2, 2, 2]);
    } finally {
      await stop(server);
      receiver.close();
    }
  });
});
