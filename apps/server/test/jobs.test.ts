import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
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
  waitForFinal,
  waitForState,
} from './helpers.js';

const root = useWorkspace();
const catalog = makeCatalog(root, {
  'sleep-timeout': {
    from: 'sleep',
    manifest: 'run: { command: [node, sleep.mjs] }\ninputs:\n  seconds: { type: NUMBER, default: 30 }\ntimeout: 1s\n',
  },
  'sleep-retry': {
    from: 'sleep',
    manifest: 'run: { command: [node, sleep.mjs] }\ninputs:\n  seconds: { type: NUMBER, default: 3 }\nretries: 1\n',
  },
});

const freshEnv = freshEnvs(root, catalog);

describe('command jobs', () => {
  it('gives an uploaded file to a command job and collects the output file it writes', async () => {
    const { env } = await freshEnv();
    const upload = join(root, 'invoice.txt');
    writeFileSync(upload, 'total: 42 EUR\n');
    const job = await cliJson<{
      state: string;
      workDir: string;
      inputFiles: unknown;
      outputFiles: unknown;
      outputs: Record<string, unknown>;
    }>(['run', 'file-report', '--file', upload, '--wait'], env);
    expect(job.state).toBe('succeeded');
    expect(job.inputFiles).toEqual([{ name: 'invoice.txt', size: 14 }]);
    expect(job.outputFiles).toEqual([{ name: 'report.txt', size: expect.any(Number) }]);
    expect(readFileSync(join(job.workDir, 'output', 'report.txt'), 'utf8')).toBe(
      '1 file(s), 14 bytes\ninvoice.txt\t14\n',
    );
    expect(job.outputs.files).toEqual({ type: 'LIST', value: [{ type: 'STRING', value: 'invoice.txt' }] });
    expect(job.outputs.totalBytes).toEqual({ type: 'NUMBER', value: '14' });
    expect(existsSync(upload)).toBe(true);
  });

  it('ends a job past its timeout as timed_out and leaves no process behind', async () => {
    const { dataDir, env } = await freshEnv({ BOTGATE_CONCURRENCY: '4' });
    const server = await startServer(env);
    const core = await observe(dataDir, catalog, env);
    try {
      const queued = await cliJson<{ id: number }>(['run', 'sleep-timeout'], env);
      const pid = await processOfJob(core, queued.id);
      expect(isAlive(pid)).toBe(true);
      const job = await waitForFinal(core, queued.id);
      expect(job).toMatchObject({ state: 'timed_out', errorCode: 'TIMEOUT' });
      expect(job.log).toContain(`as process ${pid}`);
      await waitFor('the timed-out process to be gone', async () => (isAlive(pid) ? undefined : true), 5000);
    } finally {
      server.process.kill('SIGTERM');
      await server.exited;
    }
  });

  it('never runs more than concurrency: 2 jobs of an automation at once', async () => {
    const sleepLog = join(root, 'sleep-concurrency.log');
    const { dataDir, env } = await freshEnv({ SLEEP_LOG: sleepLog, BOTGATE_CONCURRENCY: '8' });
    const core = await observe(dataDir, catalog, env);
    // Queued before the server starts, so all six compete for the two slots at once.
    const ids = [];
    for (let i = 0; i < 6; i++)
      ids.push(
        (await core.jobs.enqueue({ automationId: 'sleep', adapter: 'test', plainInputs: { seconds: 0.5 } })).job.id,
      );
    const server = await startServer(env);
    try {
      const jobs = await Promise.all(ids.map((id) => waitForFinal(core, id)));
      expect(jobs.map((j) => j.state)).toEqual(Array(6).fill('succeeded'));
    } finally {
      server.process.kill('SIGTERM');
      await server.exited;
    }
    // The jobs' own records: at every start, how many had started and not yet ended.
    const events = readFileSync(sleepLog, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { event: string; at: number; job: string });
    expect(events.filter((e) => e.event === 'start')).toHaveLength(6);
    let running = 0;
    let most = 0;
    for (const event of [...events].sort((a, b) => a.at - b.at || (a.event === 'end' ? -1 : 1))) {
      running += event.event === 'start' ? 1 : -1;
      most = Math.max(most, running);
    }
    expect(most).toBe(2);
  });

  it('kills a running command job on `jobs cancel`', async () => {
    const { dataDir, env } = await freshEnv();
    const server = await startServer(env);
    const core = await observe(dataDir, catalog, env);
    try {
      const queued = await cliJson<{ id: number }>(['run', 'sleep', '--input', 'seconds=60'], env);
      const pid = await processOfJob(core, queued.id);
      const canceled = await cliJson<{ state: string; errorCode: string }>(['jobs', 'cancel', String(queued.id)], env);
      expect(canceled).toMatchObject({ state: 'canceled', errorCode: 'CANCELED' });
      await waitFor('the canceled process to be gone', async () => (isAlive(pid) ? undefined : true), 5000);
      const again = await cli(['jobs', 'cancel', String(queued.id), '--json'], env);
      expect(again.code).toBe(1);
      expect(JSON.parse(again.stdout)).toEqual({
        error: 'NOT_CANCELABLE',
        message: `job ${queued.id} has already ended (canceled)`,
      });
    } finally {
      server.process.kill('SIGTERM');
      await server.exited;
    }
  });
});

describe('crash and shutdown', () => {
  it('after kill -9 of the server, a running job is failed (interrupted) on restart and its process is gone within a second of the new node listening', async () => {
    const { dataDir, env } = await freshEnv();
    const first = await startServer(env);
    const core = await observe(dataDir, catalog, env);
    const queued = await cliJson<{ id: number }>(['run', 'sleep', '--input', 'seconds=60'], env);
    const pid = await processOfJob(core, queued.id);
    first.process.kill('SIGKILL');
    await first.exited;
    expect((await core.jobs.get(queued.id)).state).toBe('running');
    expect(isAlive(pid)).toBe(true);
    const second = await startServer(env);
    try {
      // The new node kills its dead predecessor's leftovers before it listens, not when a lease runs out.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(isAlive(pid)).toBe(false);
      const job = await waitForFinal(core, queued.id);
      expect(job).toMatchObject({ state: 'failed', error: 'interrupted', errorCode: 'INTERRUPTED' });
    } finally {
      second.process.kill('SIGTERM');
      await second.exited;
    }
  });

  it('after kill -9, a job with retries left runs again and succeeds', async () => {
    const { dataDir, env } = await freshEnv();
    const first = await startServer(env);
    const core = await observe(dataDir, catalog, env);
    const queued = await cliJson<{ id: number }>(['run', 'sleep-retry'], env);
    await processOfJob(core, queued.id);
    first.process.kill('SIGKILL');
    await first.exited;
    const second = await startServer(env);
    try {
      const job = await waitForFinal(core, queued.id);
      expect(job).toMatchObject({ state: 'succeeded', attempt: 2 });
    } finally {
      second.process.kill('SIGTERM');
      await second.exited;
    }
  });

  it('on SIGTERM, lets a short job finish, requeues a long one past the grace period, and exits', async () => {
    const { dataDir, env } = await freshEnv({ BOTGATE_SHUTDOWN_GRACE: '1.5s', BOTGATE_CONCURRENCY: '4' });
    const server = await startServer(env);
    const core = await observe(dataDir, catalog, env);
    const short = await cliJson<{ id: number }>(['run', 'sleep', '--input', 'seconds=0.5'], env);
    const long = await cliJson<{ id: number }>(['run', 'sleep', '--input', 'seconds=60'], env);
    await waitForState(core, short.id, ['running', 'succeeded']);
    const longPid = await processOfJob(core, long.id);
    server.process.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect((await core.jobs.get(short.id)).state).toBe('succeeded');
    // The cut-short run is kept as an attempt and does not use up the job's own: one more is given.
    const requeued = await core.jobs.get(long.id);
    expect(requeued).toMatchObject({ state: 'queued', attempt: 1, maxAttempts: 2, runAfter: null });
    expect((await core.jobs.attempts(requeued)).map((a) => [a.number, a.state, a.errorCode])).toEqual([
      [1, 'interrupted', 'INTERRUPTED'],
    ]);
    expect(isAlive(longPid)).toBe(false);
  });
});

describe('server and configuration', () => {
  it('answers /healthz and JSON 404s', async () => {
    const { env } = await freshEnv();
    const server = await startServer(env);
    try {
      const health = await fetch(`${server.url}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok', automations: 8, queued: 0 });
      const missing = await fetch(`${server.url}/nope`);
      expect(missing.status).toBe(404);
      expect(await missing.json()).toEqual({ error: 'NOT_FOUND', message: 'no route for GET /nope' });
      // Each request goes to the router whose path it lies under (whole segments, any case, as
      // express matches), and that router's own 404 answers what it does not know.
      const answers = await Promise.all(
        ['/apix', '/API', '/api/nope?uuid=x', '/Process-V1/nope', '/v1/authentication/nope', '/docs', '/healthz/x'].map(
          async (path) => {
            const response = await fetch(`${server.url}${path}`);
            const text = await response.text();
            return [
              path,
              response.status,
              text.startsWith('{') ? (JSON.parse(text) as { message?: string }).message : 'html',
            ];
          },
        ),
      );
      expect(answers).toEqual([
        ['/apix', 404, 'no route for GET /apix'],
        ['/API', 200, undefined],
        ['/api/nope?uuid=x', 404, 'no local API route GET /api/nope'],
        ['/Process-V1/nope', 404, 'no Process API route GET /Process-V1/nope'],
        ['/v1/authentication/nope', 404, 'no API Task route GET /v1/authentication/nope'],
        ['/docs', 200, 'html'],
        ['/healthz/x', 404, 'no route for GET /healthz/x'],
      ]);
    } finally {
      server.process.kill('SIGTERM');
      await server.exited;
    }
  });

  it('refuses bad configuration with the variable or file and key named', async () => {
    const { env } = await freshEnv();
    const badPort = await cli(['serve'], { ...env, BOTGATE_PORT: 'abc' });
    expect(badPort.code).toBe(1);
    expect(badPort.stderr).toMatch(/BOTGATE_PORT: .*number/);
    const typo = await cli(['automations', 'list'], { ...env, BOTGATE_CONCURENCY: '2' });
    expect(typo.stderr).toContain('BOTGATE_CONCURENCY: not a botgate setting');
    const file = join(root, 'bad.yaml');
    writeFileSync(file, 'port: 3000\nretention: forever\nwhat: 1\n');
    const badFile = await cli(['--config', file, 'automations', 'list'], env);
    expect(badFile.code).toBe(1);
    expect(badFile.stderr).toContain(`${file}: retention: expected a duration`);
    expect(badFile.stderr).toContain(`${file}: what: not a botgate setting`);
    const missing = await cli(['--config', join(root, 'none.yaml'), 'automations', 'list'], env);
    expect(missing.stderr).toContain('none.yaml: configuration file not found');
  });

  it('lists automations with fileId, repository path, inputs and outputs', async () => {
    const { env } = await freshEnv();
    const list = await cliJson<Array<Record<string, unknown>>>(['automations', 'list'], env);
    expect(list.find((a) => a.id === 'zip-code')).toMatchObject({
      name: 'Zip Code API Task',
      fileId: expect.any(Number),
      repositoryPath: 'Bots\\zip-code',
      kind: 'module',
      inputs: { iStrZipCode: { type: 'STRING', required: true } },
      outputs: { State: 'STRING', Place: 'STRING' },
    });
    const text = await cli(['automations', 'list'], env);
    expect(text.stdout).toMatch(/^ID\s+NAME\s+FILE ID\s+REPOSITORY PATH/);
  });

  it('runs a module job from the CLI and shows it in jobs list and show', async () => {
    const { env } = await freshEnv();
    const ran = await cli(['run', 'zip-code', '--input', 'iStrZipCode=76131', '--wait'], env);
    expect(ran.code).toBe(0);
    expect(ran.stdout).toMatch(/outputs\s+\{"State":"California","Place":"San Jose"\}/);
    const list = await cliJson<Array<{ id: number; state: string }>>(['jobs', 'list', '--state', 'succeeded'], env);
    expect(list).toHaveLength(1);
    const shown = await cliJson<{ outputs: unknown }>(['jobs', 'show', String(list[0]?.id)], env);
    expect(shown.outputs).toEqual({
      State: { type: 'STRING', value: 'California' },
      Place: { type: 'STRING', value: 'San Jose' },
    });
    const failed = await cli(['run', 'fail', '--wait'], env);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/error\s+exit code 1: something went wrong on purpose/);
    const bad = await cli(['run', 'zip-code', '--input', 'zip=1', '--json'], env);
    expect(JSON.parse(bad.stdout)).toMatchObject({
      error: 'UNKNOWN_VARIABLE',
      message: expect.stringContaining('variable "zip" is not an input'),
    });
    const unknown = await cli(['jobs', 'show', '12345'], env);
    expect(unknown.stderr).toContain('job 12345 does not exist');
  });
});
