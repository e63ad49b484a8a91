import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BotgateError, createCore, type Job } from '../src/index.js';
import { fixtureCatalog, useCore, useDatabase, useTempDir } from './helpers.js';

const newDir = useTempDir();
const openCore = useCore(newDir);
const newDatabase = useDatabase();

describe('group commit', () => {
  it('commits concurrent triggers together, and a trigger whose adapter row fails fails alone', async () => {
    const core = await openCore();
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        core.jobs.enqueueRecorded({
          automationId: 'echo',
          adapter: 'test',
          plainInputs: { message: `m${i}` },
          record: async (tx, job) => {
            if (i === 7) throw new Error('the adapter refused job 7');
            await tx.query('UPDATE jobs SET metadata = ? WHERE id = ?', [JSON.stringify({ i }), job.id]);
          },
          recordOf: async () => undefined,
        }),
      ),
    );
    expect(
      results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.message),
    ).toEqual(['the adapter refused job 7']);
    const kept = await core.jobs.list({ limit: 100 });
    expect(kept).toHaveLength(19);
    expect(kept.map((job) => job.metadata.i).sort((a, b) => Number(a) - Number(b))).toEqual([
      0, 1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19,
    ]);
    for (const result of results)
      if (result.status === 'fulfilled') expect(kept.map((j) => j.id)).toContain(result.value.job.id);
  });
});

describe('idempotency keys', () => {
  it('answers the first job to 25 concurrent duplicates and creates no other', async () => {
    const core = await openCore();
    const results = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        core.jobs.enqueue({
          automationId: 'echo',
          adapter: 'test',
          plainInputs: { message: `try ${i}` },
          idempotencyKey: 'order-42',
        }),
      ),
    );
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.job.id)).size).toBe(1);
    expect((await core.jobs.list({ automationId: 'echo' })).length).toBe(1);
  });

  it('keeps keys apart per automation and lets them expire after the window', async () => {
    const core = await openCore({ idempotencyWindowMs: 300 });
    const first = await core.jobs.enqueue({ automationId: 'echo', adapter: 'test', idempotencyKey: 'k' });
    const other = await core.jobs.enqueue({ automationId: 'slow', adapter: 'test', idempotencyKey: 'k' });
    const again = await core.jobs.enqueue({ automationId: 'echo', adapter: 'test', idempotencyKey: 'k' });
    expect(other.created).toBe(true);
    expect(again).toMatchObject({ created: false, job: { id: first.job.id } });
    await new Promise((resolve) => setTimeout(resolve, 350));
    const later = await core.jobs.enqueue({ automationId: 'echo', adapter: 'test', idempotencyKey: 'k' });
    expect(later.created).toBe(true);
    expect(later.job.id).not.toBe(first.job.id);
  });
});

describe('module runner isolation', () => {
  it('times out a CPU-spinning module while other module jobs keep answering', async () => {
    const core = await openCore();
    await core.worker.start();
    const spin = await core.jobs.enqueue({ automationId: 'spin', adapter: 'test' });
    const echoes = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        core.jobs.enqueue({ automationId: 'echo', adapter: 'test', plainInputs: { message: `m${i}` } }),
      ),
    );
    const answered = await Promise.all(echoes.map((e) => core.jobs.wait(e.job.id, { timeoutMs: 10_000 })));
    expect(answered.map((j) => j.state)).toEqual(Array(5).fill('succeeded'));
    expect(answered[3]?.outputs.message).toEqual({ type: 'STRING', value: 'm3' });
    // The echoes ended while the spinning module still held its thread.
    const spinning = await core.jobs.get(spin.job.id);
    expect(spinning.state).toBe('running');
    const ended = await core.jobs.wait(spin.job.id, { timeoutMs: 10_000 });
    expect(ended).toMatchObject({ state: 'timed_out', errorCode: 'TIMEOUT' });
    for (const job of answered)
      expect((job.finishedAt as Date).getTime()).toBeLessThan((ended.finishedAt as Date).getTime());
    // The pool replaced the terminated thread: modules still run.
    const after = await core.jobs.enqueue({ automationId: 'echo', adapter: 'test', plainInputs: { message: 'after' } });
    expect((await core.jobs.wait(after.job.id, { timeoutMs: 10_000 })).state).toBe('succeeded');
  });

  it('runs an isolation: none module on the main thread, and times it out without waiting for it', async () => {
    const core = await openCore();
    await core.worker.start();
    const quick = await core.jobs.enqueue({ automationId: 'inline', adapter: 'test' });
    expect(await core.jobs.wait(quick.job.id, { timeoutMs: 10_000 })).toMatchObject({
      state: 'succeeded',
      outputs: { mainThread: { type: 'BOOLEAN', value: true } },
    });
    const slow = await core.jobs.enqueue({ automationId: 'inline', adapter: 'test', plainInputs: { ms: 5000 } });
    const started = Date.now();
    expect(await core.jobs.wait(slow.job.id, { timeoutMs: 10_000 })).toMatchObject({
      state: 'timed_out',
      errorCode: 'TIMEOUT',
    });
    expect(Date.now() - started).toBeLessThan(4000);
    const real = await core.jobs.execute({ automationId: 'inline', adapter: 'test', inputs: {}, timeoutMs: 5000 });
    expect(real).toMatchObject({ state: 'succeeded', outputs: { mainThread: { type: 'BOOLEAN', value: true } } });
  });

  it('fails only the job whose module throws, with its message', async () => {
    const core = await openCore();
    await core.worker.start();
    const boom = await core.jobs.enqueue({
      automationId: 'boom',
      adapter: 'test',
      plainInputs: { why: 'no such customer' },
    });
    const echo = await core.jobs.enqueue({ automationId: 'echo', adapter: 'test' });
    expect(await core.jobs.wait(boom.job.id, { timeoutMs: 10_000 })).toMatchObject({
      state: 'failed',
      error: 'no such customer',
      errorCode: 'EXCEPTION',
    });
    expect((await core.jobs.wait(echo.job.id, { timeoutMs: 10_000 })).state).toBe('succeeded');
  });

  it('keeps an automation under its concurrency', async () => {
    const core = await openCore();
    await core.worker.start();
    const queued = await Promise.all(
      Array.from({ length: 6 }, () =>
        core.jobs.enqueue({ automationId: 'slow', adapter: 'test', plainInputs: { ms: 150 } }),
      ),
    );
    const jobs = await Promise.all(queued.map((q) => core.jobs.wait(q.job.id, { timeoutMs: 10_000 })));
    const spans = jobs.map((j) => [Number(j.outputs.startedAt?.value), Number(j.outputs.endedAt?.value)] as const);
    const most = Math.max(...spans.map(([start]) => spans.filter(([s, e]) => s <= start && start < e).length));
    expect(most).toBe(2);
  });

  it('claims from the automation whose job has waited longest, never past the slots the node has free', async () => {
    const core = await openCore({ concurrency: 1 });
    const order = ['slow', 'echo', 'echo', 'slow', 'echo', 'slow'];
    const queued = [];
    for (const automationId of order)
      queued.push(
        await core.jobs.enqueue({
          automationId,
          adapter: 'test',
          plainInputs: automationId === 'slow' ? { ms: 30 } : { message: 'm' },
        }),
      );
    await core.worker.start();
    const jobs = await Promise.all(queued.map((q) => core.jobs.wait(q.job.id, { timeoutMs: 10_000 })));
    expect(jobs.map((j) => j.state)).toEqual(order.map(() => 'succeeded'));
    // One slot: each job starts only after the one queued before it has ended, whatever its automation.
    for (let i = 1; i < jobs.length; i++) {
      const [before, job] = [jobs[i - 1] as Job, jobs[i] as Job];
      expect(job.startedAt?.getTime()).toBeGreaterThanOrEqual(before.finishedAt?.getTime() as number);
    }
  });
});

describe('jobs', () => {
  it('retries a failed job while attempts remain', async () => {
    const core = await openCore();
    await core.worker.start();
    const marker = join(newDir(), 'marker');
    const { job } = await core.jobs.enqueue({ automationId: 'flaky', adapter: 'test', plainInputs: { marker } });
    expect(await core.jobs.wait(job.id, { timeoutMs: 10_000 })).toMatchObject({
      state: 'succeeded',
      attempt: 2,
      maxAttempts: 2,
    });
  });

  it('cancels a queued job and refuses to cancel a final one', async () => {
    const core = await openCore();
    const { job } = await core.jobs.enqueue({ automationId: 'echo', adapter: 'test' });
    expect((await core.jobs.cancel(job.id)).state).toBe('canceled');
    await expect(core.jobs.cancel(job.id)).rejects.toMatchObject({ code: 'NOT_CANCELABLE' });
    await expect(core.jobs.cancel(999_999)).rejects.toMatchObject({ code: 'JOB_NOT_FOUND' });
  });

  it('validates inputs against the manifest before anything is queued', async () => {
    const core = await openCore();
    await expect(
      core.jobs.enqueue({ automationId: 'slow', adapter: 'test', plainInputs: { ms: 'soon' } }),
    ).rejects.toThrow('variable "ms": expected NUMBER');
    await expect(core.jobs.enqueue({ automationId: 'nope', adapter: 'test' })).rejects.toMatchObject({
      code: 'AUTOMATION_NOT_FOUND',
    });
    expect(await core.jobs.list()).toEqual([]);
  });

  it('keeps input file names inside the job folder', async () => {
    const core = await openCore();
    const { job } = await core.jobs.enqueue({
      automationId: 'echo',
      adapter: 'test',
      files: [
        { name: '../../etc/passwd', content: 'x' },
        { name: 'a.txt', content: 'a' },
        { name: 'a.txt', content: 'b' },
        { name: '.hidden', content: 'h' },
      ],
    });
    expect(job.inputFiles.map((f: Job['inputFiles'][number]) => f.name)).toEqual([
      'passwd',
      'a.txt',
      'a (1).txt',
      '_hidden',
    ]);
  });

  it('tells watchers what changed and what the last minutes did', async () => {
    const core = await openCore();
    const mark = await core.jobs.newestId();
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await core.jobs.enqueue({ automationId: 'echo', adapter: 'test' })).job.id);
    const before = await core.jobs.changes({ afterId: mark, endedSince: Date.now(), limit: 2 });
    expect(before.added.map((j) => [j.id, j.state])).toEqual([ids[0], ids[1]].map((id) => [id, 'queued']));
    expect(before.ended).toEqual([]);
    const from = Date.now() - 60_000;
    await core.worker.start();
    for (const id of ids) await core.jobs.wait(id, { timeoutMs: 10_000 });
    const after = await core.jobs.changes({ afterId: ids[2] as number, endedSince: from, limit: 10 });
    expect(after.added).toEqual([]);
    expect(after.ended.map((j) => j.id).sort()).toEqual(ids);
    const minutes = await core.jobs.activity(Math.floor(from / 60_000) * 60_000);
    expect(minutes.reduce((sum, m) => sum + m.ended, 0)).toBe(3);
    expect(minutes.reduce((sum, m) => sum + m.failed, 0)).toBe(0);
    expect(minutes.find((m) => m.ended > 0)?.runMs).toEqual(expect.any(Number));
  });

  it('re-runs a job as a new job with its inputs, files and work item, and leaves the first as it was', async () => {
    const core = await openCore();
    const { job } = await core.jobs.enqueue({
      automationId: 'echo',
      adapter: 'local-api',
      plainInputs: { message: 'again' },
      files: [{ name: 'a.txt', content: 'first' }],
      workItem: { order: 7, note: null },
    });
    await core.jobs.cancel(job.id);
    const again = await core.jobs.rerun(job.id, 'console');
    expect(again).toMatchObject({
      automationId: 'echo',
      adapter: 'console',
      state: 'queued',
      inputs: job.inputs,
      workItem: { order: 7, note: null },
      metadata: { rerunOf: job.id },
    });
    expect(again.id).not.toBe(job.id);
    expect(again.inputFiles).toEqual([{ name: 'a.txt', size: 5 }]);
    expect(readFileSync(join(again.workDir, 'a.txt'), 'utf8')).toBe('first');
    expect((await core.jobs.get(job.id)).state).toBe('canceled');
    await expect(core.jobs.rerun(999_999, 'console')).rejects.toMatchObject({ code: 'JOB_NOT_FOUND' });
  });
});

describe('catalog', () => {
  it('keeps fileIds across restarts and gives new automations the next one', async () => {
    const dataDir = newDir();
    const catalogDir = join(newDir(), 'catalog');
    cpSync(fixtureCatalog, catalogDir, { recursive: true });
    const { config } = await newDatabase();
    const database = config ? { database: config } : {};
    const first = await createCore({ dataDir, catalogDir, commandEnv: process.env, ...database });
    const ids = Object.fromEntries(first.catalog.list().map((a) => [a.id, a.fileId]));
    await first.close();
    mkdirSync(join(catalogDir, 'aaa-new'));
    writeFileSync(join(catalogDir, 'aaa-new', 'automation.yaml'), 'run: { command: [node, x.mjs] }\n');
    const second = await createCore({ dataDir, catalogDir, commandEnv: process.env, ...database });
    try {
      for (const [id, fileId] of Object.entries(ids)) expect(second.catalog.get(id).fileId).toBe(fileId);
      expect(second.catalog.get('aaa-new').fileId).toBe(Math.max(...Object.values(ids)) + 1);
      expect(second.catalog.findByRepositoryPath('bots\\AAA-NEW')?.id).toBe('aaa-new');
    } finally {
      await second.close();
    }
  });

  it('reports every manifest problem with its file and field', async () => {
    const catalogDir = newDir();
    mkdirSync(join(catalogDir, 'bad'));
    writeFileSync(
      join(catalogDir, 'bad', 'automation.yaml'),
      'run: { module: ./missing.mjs }\ninputs:\n  x: { type: TEXT }\nconcurrency: 0\ntimeout: soon\n',
    );
    mkdirSync(join(catalogDir, 'broken'));
    writeFileSync(join(catalogDir, 'broken', 'automation.yaml'), 'run: [\n');
    const { config } = await newDatabase();
    const error = await createCore({
      dataDir: newDir(),
      catalogDir,
      commandEnv: process.env,
      ...(config ? { database: config } : {}),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BotgateError);
    const message = (error as Error).message;
    expect(message).toMatch(/bad[/\\]automation\.yaml: inputs\.x\.type: expected one of STRING/);
    expect(message).toMatch(/bad[/\\]automation\.yaml: concurrency: /);
    expect(message).toMatch(/bad[/\\]automation\.yaml: timeout: expected a duration/);
    expect(message).toMatch(/broken[/\\]automation\.yaml: not valid YAML/);
  });
});

describe('real-time execution', () => {
  it('runs a module job at once and has recorded it when it answers', async () => {
    const core = await openCore();
    const executed = await core.jobs.execute({
      automationId: 'echo',
      adapter: 'test',
      inputs: { message: { type: 'STRING', value: 'now' } },
      timeoutMs: 5000,
    });
    expect(executed).toMatchObject({ state: 'succeeded', outputs: { message: { type: 'STRING', value: 'now' } } });
    expect(await core.jobs.get(executed.id)).toMatchObject({
      state: 'succeeded',
      adapter: 'test',
      inputs: { message: { type: 'STRING', value: 'now' } },
    });
  });

  it('records each of many runs started at once, with its own inputs and outputs', async () => {
    const core = await openCore();
    const runs = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        core.jobs.execute({
          automationId: 'echo',
          adapter: 'test',
          inputs: { message: { type: 'STRING', value: `run ${i}` } },
          timeoutMs: 5000,
        }),
      ),
    );
    expect(new Set(runs.map((run) => run.id)).size).toBe(40);
    for (const [i, run] of runs.entries()) {
      expect(run.outputs).toEqual({ message: { type: 'STRING', value: `run ${i}` } });
      expect(await core.jobs.get(run.id)).toMatchObject({
        state: 'succeeded',
        inputs: { message: { type: 'STRING', value: `run ${i}` } },
        outputs: { message: { type: 'STRING', value: `run ${i}` } },
      });
    }
  });

  it("ends a run past the caller's limit timed_out, and refuses undeclared inputs", async () => {
    const core = await openCore();
    const slow = await core.jobs.execute({
      automationId: 'slow',
      adapter: 'test',
      inputs: { ms: { type: 'NUMBER', value: '2000' } },
      timeoutMs: 200,
    });
    expect(slow).toMatchObject({ state: 'timed_out', errorCode: 'TIMEOUT' });
    await expect(
      core.jobs.execute({
        automationId: 'echo',
        adapter: 'test',
        inputs: { nope: { type: 'STRING', value: 'x' } },
        timeoutMs: 1000,
      }),
    ).rejects.toThrow(/variable "nope" is not an input/);
  });
});

describe('several nodes on one database', () => {
  it.skipIf(!process.env.BOTGATE_TEST_DATABASE_URL)(
    'wakes an idle node through LISTEN/NOTIFY, long before its next poll',
    async () => {
      const { config } = await newDatabase();
      const database = config ? { database: config } : {};
      const producer = await createCore({
        dataDir: newDir(),
        catalogDir: fixtureCatalog,
        commandEnv: process.env,
        ...database,
      });
      const worker = await createCore({
        dataDir: newDir(),
        catalogDir: fixtureCatalog,
        commandEnv: process.env,
        pollMs: 60_000,
        ...database,
      });
      try {
        await worker.worker.start();
        await new Promise((resolve) => setTimeout(resolve, 300));
        const queuedAt = Date.now();
        const { job } = await producer.jobs.enqueue({
          automationId: 'echo',
          adapter: 'test',
          plainInputs: { message: 'ping' },
        });
        const done = await worker.jobs.wait(job.id, { timeoutMs: 10_000 });
        expect(done.state).toBe('succeeded');
        expect((done.startedAt as Date).getTime() - queuedAt).toBeLessThan(2000);
      } finally {
        await worker.close({ graceMs: 0 });
        await producer.close({ graceMs: 0 });
      }
    },
  );
});
