import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jobPaths } from './job-paths.js';
import { killLeftovers } from './kill-leftovers.js';
import { isProcessAlive } from './kill-process-group.js';

const startJobProcess = (workDir: string | undefined, detached: boolean) => {
  const env = workDir === undefined ? process.env : { ...process.env, BOTGATE_JOB_DIR: workDir };
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { env, detached, stdio: 'ignore' });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
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
