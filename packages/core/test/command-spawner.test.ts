import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { waitFor } from '@botgate/testing';
import { createCore, valuesToPlain, type Core } from '../src/index.js';
import { useDatabase, useTempDir } from './helpers.js';

const newDir = useTempDir('botgate-spawner-');
const newDatabase = useDatabase();

/** A core whose catalog holds `parent` (prints its parent's pid) and `sleep` (sleeps 30 s), both commands. */
const openCore = async (): Promise<Core> => {
  const catalogDir = newDir();
  for (const [id, manifest] of Object.entries({
    parent: `run: { command: [sh, -c, 'printf "{\\"parent\\": %s}" "$PPID" > "$BOTGATE_OUTPUT"'] }\noutputs: { parent: NUMBER }\n`,
    sleep: 'run: { command: [sh, -c, "echo started; exec sleep 30"] }\n',
  })) {
    mkdirSync(join(catalogDir, id));
    writeFileSync(join(catalogDir, id, 'automation.yaml'), manifest);
  }
  const { config } = await newDatabase();
  const core = await createCore({
    dataDir: newDir(),
    catalogDir,
    commandEnv: process.env,
    pollMs: 100,
    ...(config ? { database: config } : {}),
  });
  await core.worker.start();
  return core;
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
describe.skipIf(process.platform !== 'linux')('commands start from a spawner process, not the server', () => {
  it("runs a command whose parent is not the server's process", async () => {
    const core = await openCore();
    try {
      const { job } = await core.jobs.enqueue({ automationId: 'parent', adapter: 'test' });
      const done = await core.jobs.wait(job.id, { timeoutMs: 20_000 });
      expect(done.state).toBe('succeeded');
      const parent = Number(valuesToPlain(done.outputs).parent);
      expect(parent).toBeGreaterThan(1);
      expect(parent).not.toBe(process.pid);
      expect(parentOf(parent)).toBe(process.pid);
    } finally {
      await core.close({ graceMs: 0 });
    }
  });

  it('ends the runs of a spawner that died as interrupted, kills their processes, and starts a new spawner', async () => {
    const core = await openCore();
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

      const { job: next } = await core.jobs.enqueue({ automationId: 'parent', adapter: 'test' });
      const after = await core.jobs.wait(next.id, { timeoutMs: 20_000 });
      expect(after.state).toBe('succeeded');
      expect(valuesToPlain(after.outputs).parent).not.toBe(spawner);
    } finally {
      await core.close({ graceMs: 0 });
    }
  });
});
