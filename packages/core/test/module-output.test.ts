import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { waitFor } from '@botgate/testing';
import { jobPaths, type Core } from '../src/index.js';
import { useCore, useTempDir } from './helpers.js';

const newDir = useTempDir();
const openCore = useCore(newDir);

/** What the `chatty` fixture prints with no options. */
const printed = (say: string) => `log ${say}\nstdout ${say}\nerror ${say}\n`;

const run = async (core: Core, automationId: string, plainInputs: Record<string, unknown>) => {
  const { job } = await core.jobs.enqueue({ automationId, adapter: 'test', plainInputs });
  return core.jobs.wait(job.id, { timeoutMs: 10_000 });
};

const hasText = (path: string, text: string) => async () =>
  existsSync(path) && readFileSync(path, 'utf8') === text ? true : undefined;

describe.each([
  { isolation: 'thread', chatty: 'chatty', quiet: 'echo' },
  { isolation: 'none', chatty: 'chatty-inline', quiet: 'inline' },
])('a module job’s console output (isolation: $isolation)', ({ chatty, quiet }) => {
  it('is its log, and its live log while it runs; a silent module writes no live log', async () => {
    const core = await openCore();
    await core.worker.start();
    const gate = join(newDir(), 'gate');
    const { job } = await core.jobs.enqueue({ automationId: chatty, adapter: 'test', plainInputs: { say: 'A', gate } });
    const live = jobPaths(job.workDir).log;
    try {
      await waitFor('the first lines in the live log', hasText(live, 'log A\nstdout A\n'));
      expect((await core.jobs.get(job.id)).state).toBe('running');
    } finally {
      // Opened whatever happened: a module waiting on the main thread would outlive the test.
      writeFileSync(gate, '');
    }
    expect(await core.jobs.wait(job.id, { timeoutMs: 10_000 })).toMatchObject({
      state: 'succeeded',
      log: printed('A'),
    });
    await waitFor('the whole output in the live log', hasText(live, printed('A')));

    const silent = await run(core, quiet, {});
    expect(silent).toMatchObject({ state: 'succeeded', log: '' });
    expect(existsSync(jobPaths(silent.workDir).log)).toBe(false);
  });

  it('puts the stack of a throwing module after what it printed', async () => {
    const core = await openCore();
    await core.worker.start();
    const failed = await run(core, chatty, { say: 'B', fail: true });
    expect(failed).toMatchObject({ state: 'failed', error: 'failed B', errorCode: 'EXCEPTION' });
    expect(failed.log).toMatch(new RegExp(`^${printed('B')}Error: failed B\\n\\s+at chatty `));
  });

  it('ends a job whose log and error hold a NUL, each NUL written as U+FFFD (PostgreSQL holds none)', async () => {
    const core = await openCore();
    await core.worker.start();
    const failed = await run(core, chatty, { say: 'a\u0000b', fail: true });
    expect(failed).toMatchObject({ state: 'failed', error: 'failed a\uFFFDb', errorCode: 'EXCEPTION' });
    expect(failed.log.startsWith(printed('a\uFFFDb'))).toBe(true);
    expect((await core.jobs.attempts(failed)).map((attempt) => attempt.error)).toEqual(['failed a\uFFFDb']);
  });

  it('keeps the last logLimit bytes as the log', async () => {
    const core = await openCore({ logLimit: 100 });
    await core.worker.start();
    const job = await run(core, chatty, { say: 'C', lines: 1000 });
    const whole = `log C\nstdout C\n${Array.from({ length: 1000 }, (_, i) => `C line ${i}\n`).join('')}error C\n`;
    expect(job.log).toBe(`[… ${whole.length - 100} earlier bytes dropped]\n${whole.slice(-100)}`);
  });
});

describe('isolation: none', () => {
  it('keeps the output of jobs running at once each in its own log', async () => {
    const core = await openCore();
    await core.worker.start();
    const gate = join(newDir(), 'gate');
    const names = ['n1', 'n2', 'n3', 'n4'];
    const queued = await Promise.all(
      names.map((say) =>
        core.jobs.enqueue({ automationId: 'chatty-inline', adapter: 'test', plainInputs: { say, gate, lines: 3 } }),
      ),
    );
    try {
      // All four have printed and wait at the gate, so what follows is printed interleaved.
      for (const [i, { job }] of queued.entries())
        await waitFor(
          `job ${names[i]} at the gate`,
          hasText(jobPaths(job.workDir).log, `log ${names[i]}\nstdout ${names[i]}\n`),
        );
    } finally {
      writeFileSync(gate, '');
    }
    const ended = await Promise.all(queued.map(({ job }) => core.jobs.wait(job.id, { timeoutMs: 10_000 })));
    expect(ended.map((job) => job.log)).toEqual(
      names.map((say) => `log ${say}\nstdout ${say}\n${say} line 0\n${say} line 1\n${say} line 2\nerror ${say}\n`),
    );
  });
});

describe('a module worker thread', () => {
  it('gives a job none of what an earlier module printed after returning, and writes that as a JSON line', async () => {
    // The test process's stdout is where a thread's stray output ends up; it is recorded here,
    // passed through unchanged, and restored.
    const seen: string[] = [];
    const write = process.stdout.write;
    process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) => (
      seen.push(String(chunk)),
      write.call(process.stdout, chunk, ...rest)
    )) as typeof write;
    try {
      // One thread, so the next job runs where the earlier module's timer is still pending.
      const core = await openCore({ concurrency: 1, moduleThreads: 1 });
      await core.worker.start();
      const early = await run(core, 'chatty', { say: 'early', late: true });
      const next = await run(core, 'chatty', { say: 'next', ms: 50 });
      expect([early.log, next.log]).toEqual([printed('early'), printed('next')]);
      const line = await waitFor('the late output on stdout', async () =>
        seen
          .join('')
          .split('\n')
          .find((l) => l.includes('"module output outside a job"')),
      );
      expect(JSON.parse(line)).toEqual({
        level: 40,
        time: expect.any(Number),
        msg: 'module output outside a job',
        text: 'late early\n',
      });
    } finally {
      process.stdout.write = write;
    }
  });
});
