import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { waitFor } from '@botgate/testing';
import { createCore, valuesToPlain, type Core, type Job, type SpawnerKind } from '../src/index.js';
import { nativeSpawnerFile } from '../src/runners/native-spawner.js';
import { useDatabase, useTempDir } from './helpers.js';

const newDir = useTempDir('botgate-spawner-');
const newDatabase = useDatabase();

/**
 * Prints 100,000 bytes on each of stdout and stderr, 1,000 `a` and 1,000 `b` in turns, then
 * leaves a child behind in its group and exits 3.
 */
const chatty = `a=$(printf '%01000d' 0 | tr 0 a); b=$(printf '%01000d' 0 | tr 0 b); i=0; while [ $i -lt 100 ]; do printf %s "$a"; printf %s "$b" >&2; i=$((i+1)); done; sleep 30 & echo $! > bg; exit 3`;

const envScript =
  'read -r _ _ _ _ group session _ < /proc/$$/stat; echo "$(pwd) $BOTGATE_JOB_ID $ONLY_HERE $$ $group $session"; grep SigIgn /proc/$$/status';

/**
 * A core whose catalog holds `parent` (prints its parent's pid), `sleep` (sleeps 30 s, and leaves
 * a child out of its process group that does too),
 * `chatty`, `signaled` (killed by SIGIO), `env` (prints where and with what it runs),
 * `missing` (no such program), `inPath` (a program in the commands' PATH alone) and `noShebang`,
 * all commands, started through the `spawner` given.
 */
const openCore = async (spawner: SpawnerKind): Promise<Core> => {
  const catalogDir = newDir();
  // A program only the commands' PATH finds, not the server's.
  const bin = newDir();
  writeFileSync(join(bin, 'botgate-only-here'), '#!/bin/sh\necho "found with $1"\n', { mode: 0o755 });
  for (const [id, manifest] of Object.entries({
    parent: `run: { command: [sh, -c, 'printf "{\\"parent\\": %s}" "$PPID" > "$BOTGATE_OUTPUT"'] }\noutputs: { parent: NUMBER }\n`,
    // It leaves a child in a session of its own, out of its process group, and sleeps.
    sleep: 'run: { command: [sh, -c, "setsid sleep 31 & echo $! > escaped; echo started; exec sleep 30"] }\n',
    // JSON is YAML too, and quotes a shell script of any quotes.
    chatty: JSON.stringify({ run: { command: ['sh', '-c', chatty] } }),
    // SIGIO shares its number with SIGPOLL: the name told is the one Node tells (and it dumps no core).
    signaled: JSON.stringify({ run: { command: ['sh', '-c', 'kill -IO $$'] } }),
    // An executable script with no `#!` line runs through /bin/sh, as Node's spawn runs it.
    noShebang: JSON.stringify({ run: { command: ['./plain', 'its argument'] } }),
    // Where it runs, with what, in which group and session, and which signals it ignores.
    env: JSON.stringify({ run: { command: ['sh', '-c', envScript] } }),
    missing: JSON.stringify({ run: { command: ['botgate-no-such-program', 'arg'] } }),
    inPath: JSON.stringify({ run: { command: ['botgate-only-here', 'its argument'] } }),
  })) {
    mkdirSync(join(catalogDir, id));
    writeFileSync(join(catalogDir, id, 'automation.yaml'), manifest);
  }
  writeFileSync(join(catalogDir, 'noShebang', 'plain'), 'echo "plain with $1"\n', { mode: 0o755 });
  const { config } = await newDatabase();
  const core = await createCore({
    dataDir: newDir(),
    catalogDir,
    commandEnv: { ...process.env, ONLY_HERE: 'yes', PATH: `${bin}:${process.env.PATH}` },
    commandSpawner: spawner,
    pollMs: 100,
    ...(config ? { database: config } : {}),
  });
  await core.worker.start();
  return core;
};

/** Runs each of `automationIds` once on a core of its own, and answers their jobs once ended. */
const runToEnd = async (kind: SpawnerKind, ...automationIds: string[]): Promise<Job[]> => {
  const core = await openCore(kind);
  try {
    const jobs = await Promise.all(
      automationIds.map(async (automationId) => (await core.jobs.enqueue({ automationId, adapter: 'test' })).job),
    );
    return await Promise.all(jobs.map((job) => core.jobs.wait(job.id, { timeoutMs: 20_000 })));
  } finally {
    await core.close({ graceMs: 0 });
  }
};

/** A process's state and parent, from /proc/<pid>/stat; `undefined` once it is gone. */
const statOf = (pid: number): { state: string; parent: number } | undefined => {
  try {
    const [state, parent] = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return { state: state as string, parent: Number(parent) };
  } catch {
    return undefined;
  }
};
const parentOf = (pid: number): number | undefined => statOf(pid)?.parent;
/** Gone, or dead and waiting for whoever adopted it to reap it (a container's first process may never). */
const ended = (pid: number): boolean => statOf(pid) === undefined || statOf(pid)?.state === 'Z';

/**
 * Node starts a child with fork(), which marks every page of the parent's memory copy-on-write:
 * from the server, each command's start made the server's next writes fault page by page (a
 * job's end, 0.1 ms alone, took 2.5 ms). Commands start from a small process of their own, which
 * the server restarts should it die.
 */
/**
 * Both spawners; without a C compiler at the build there is no native one to test, except in CI,
 * where one that failed to compile must fail here rather than go unseen.
 */
const kinds: SpawnerKind[] = nativeSpawnerFile() || process.env.CI ? ['native', 'node'] : ['node'];

describe.skipIf(process.platform !== 'linux').each(kinds)(
  'commands start from the %s spawner, not the server',
  (kind) => {
    it("runs a command whose parent is not the server's process", async () => {
      const core = await openCore(kind);
      try {
        const { job } = await core.jobs.enqueue({ automationId: 'parent', adapter: 'test' });
        const done = await core.jobs.wait(job.id, { timeoutMs: 20_000 });
        expect(done.state).toBe('succeeded');
        const parent = Number(valuesToPlain(done.outputs).parent);
        expect(parent).toBeGreaterThan(1);
        expect(parent).not.toBe(process.pid);
        expect(parentOf(parent)).toBe(process.pid);
        // Its pid file names a process only while it runs: gone before the end is recorded.
        expect(existsSync(join(done.workDir, '.botgate', 'pid'))).toBe(false);
      } finally {
        await core.close({ graceMs: 0 });
      }
    });

    it('ends the runs of a spawner that died as interrupted, kills all their processes, and starts a new spawner', async () => {
      const core = await openCore(kind);
      try {
        const { job } = await core.jobs.enqueue({ automationId: 'sleep', adapter: 'test' });
        const pidFile = join(job.workDir, '.botgate', 'pid');
        const pid = await waitFor('the command to run', async () =>
          existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8')) : undefined,
        );
        // The output the server has had from the command so far is in the job's log file: once
        // the line is there, it is the server's to keep, whatever happens to the spawner.
        const log = join(job.workDir, '.botgate', 'log');
        await waitFor("the command's first line", async () =>
          existsSync(log) && readFileSync(log, 'utf8').includes('started') ? true : undefined,
        );
        const spawner = parentOf(pid);
        expect(spawner).not.toBe(process.pid);
        process.kill(spawner as number, 'SIGKILL');

        const done = await core.jobs.wait(job.id, { timeoutMs: 20_000 });
        expect(done.state).toBe('failed');
        expect(done.errorCode).toBe('INTERRUPTED');
        expect(done.log).toContain('started');
        await waitFor('the killed command to end', async () => ended(pid) || undefined);
        expect(existsSync(pidFile)).toBe(false);
        // Found by the job folder in its environment, as recovery finds what a dead node left:
        // the spawner that knew of the run is gone, and the run may start again.
        const escaped = Number(readFileSync(join(job.workDir, 'escaped'), 'utf8'));
        await waitFor('the command that left its group to end', async () => ended(escaped) || undefined);

        const { job: next } = await core.jobs.enqueue({ automationId: 'parent', adapter: 'test' });
        const after = await core.jobs.wait(next.id, { timeoutMs: 20_000 });
        expect(after.state).toBe('succeeded');
        expect(valuesToPlain(after.outputs).parent).not.toBe(spawner);
      } finally {
        await core.close({ graceMs: 0 });
      }
    });

    it('runs a command in its folder, with its environment, leading a session of its own, with no signal ignored', async () => {
      const [done] = (await runToEnd(kind, 'env')) as [Job];
      expect(done.state).toBe('succeeded');
      const [where, line2] = done.log.trim().split('\n');
      const [dir, id, onlyHere, pid, group, session] = (where ?? '').split(' ');
      expect([dir, id, onlyHere]).toEqual([done.workDir, String(done.id), 'yes']);
      expect(group).toBe(pid);
      expect(session).toBe(pid);
      // None of the standard signals (1-31) ignored. glibc's posix_spawn leaves its own two
      // (32 and 33) ignored in every program it starts, and glibc sets them up again in it.
      expect(BigInt(`0x${line2?.split(/\s+/)[1]}`) & 0x7fffffffn).toBe(0n);
    });

    it("keeps all of a command's output in order, tells its exit code, and kills what it left running", async () => {
      const [done] = (await runToEnd(kind, 'chatty')) as [Job];
      expect(done.state).toBe('failed');
      expect(done.exitCode).toBe(3);
      expect(done.error).toMatch(/^exit code 3/);
      // All 200,000 bytes came, and the log keeps the last 65,536 of them: 1,000 `a` or `b` at a
      // time, never torn (the first run is cut by the tail).
      expect(done.log).toMatch(/^\[… 134464 earlier bytes dropped\]\n/);
      const runs = (done.log.slice(done.log.indexOf('\n') + 1).match(/a+|b+/g) ?? []).slice(1);
      expect(runs.every((run) => run.length % 1000 === 0)).toBe(true);
      // The native spawner reads both through one pipe, so they come in the order they were written.
      if (kind === 'native')
        expect(runs.every((run, i) => run.length === 1000 && run[0] !== runs[i - 1]?.[0])).toBe(true);
      const left = Number(readFileSync(join(done.workDir, 'bg'), 'utf8'));
      await waitFor('the background child to be killed', async () => ended(left) || undefined);
    });

    it("finds a program in the commands' own PATH, and runs a script with no #! line", async () => {
      const [done, plain] = (await runToEnd(kind, 'inPath', 'noShebang')) as [Job, Job];
      expect([done.state, done.log]).toEqual(['succeeded', 'found with its argument\n']);
      expect([plain.state, plain.log]).toEqual(['succeeded', 'plain with its argument\n']);
    });

    it('tells a command killed by a signal, and one whose program is missing', async () => {
      const [killed, notStarted] = (await runToEnd(kind, 'signaled', 'missing')) as [Job, Job];
      expect([killed.state, killed.exitCode, killed.error]).toEqual(['failed', null, 'killed by SIGIO']);
      expect([notStarted.state, notStarted.errorCode]).toEqual(['failed', 'START_FAILED']);
      expect(notStarted.error).toBe('cannot start botgate-no-such-program: spawn botgate-no-such-program ENOENT');
    });
  },
);
