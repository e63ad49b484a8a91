import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jobPaths } from './job-paths.js';
import { killLeftovers, killOrphans } from './kill-leftovers.js';
import { isProcessAlive } from './kill-process-group.js';

const startJobProcess = (workDir: string | undefined, detached: boolean, nodeId?: string) => {
  const env =
    workDir === undefined
      ? process.env
      : { ...process.env, BOTGATE_JOB_DIR: workDir, ...(nodeId ? { BOTGATE_NODE_ID: nodeId } : {}) };
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { env, detached, stdio: 'ignore' });
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.once('exit', (_code, signal) => resolve(signal)),
  );
  return { pid: child.pid as number, exited };
};

describe('killLeftovers', () => {
  it('kills the process group named by the pid file', async () => {
    const workDir = mkdtempSync(join(tmpdir(), 'botgate-leftovers-'));
    // Without the variable, so only the pid file can lead to it.
    const job = startJobProcess(undefined, true);
    mkdirSync(jobPaths(workDir).control);
    writeFileSync(jobPaths(workDir).pid, String(job.pid));
    killLeftovers(workDir);
    expect(await job.exited).toBe('SIGKILL');
  });

  // A node killed between spawning the command and writing its pid file leaves no file behind.
  it('finds a job process without a pid file by its BOTGATE_JOB_DIR', async () => {
    const workDir = mkdtempSync(join(tmpdir(), 'botgate-leftovers-'));
    const other = mkdtempSync(join(tmpdir(), 'botgate-leftovers-'));
    const job = startJobProcess(workDir, false);
    const bystander = startJobProcess(other, false);
    try {
      await new Promise((resolve) => setTimeout(resolve, 100)); // its environment is readable once exec ran
      killLeftovers(workDir);
      expect(await job.exited).toBe('SIGKILL');
      expect(isProcessAlive(bystander.pid)).toBe(true);
    } finally {
      process.kill(bystander.pid, 'SIGKILL');
      await bystander.exited;
    }
  });
});

describe('killOrphans', () => {
  it("kills the processes of this data folder's jobs whose node is dead, and only those", async () => {
    const jobsDir = mkdtempSync(join(tmpdir(), 'botgate-orphans-'));
    const elsewhere = mkdtempSync(join(tmpdir(), 'botgate-orphans-'));
    const orphan = startJobProcess(join(jobsDir, 'a'), true, 'host/1/dead');
    const alive = startJobProcess(join(jobsDir, 'b'), true, 'host/2/alive');
    const foreign = startJobProcess(join(elsewhere, 'c'), true, 'host/1/dead');
    try {
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(killOrphans(jobsDir, (owner) => owner.endsWith('/dead'))).toEqual([orphan.pid]);
      expect(await orphan.exited).toBe('SIGKILL');
      expect(isProcessAlive(alive.pid)).toBe(true);
      expect(isProcessAlive(foreign.pid)).toBe(true);
    } finally {
      for (const job of [alive, foreign]) process.kill(job.pid, 'SIGKILL');
      await Promise.all([alive.exited, foreign.exited]);
    }
  });
});
