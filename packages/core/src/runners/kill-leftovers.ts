import { readFileSync, rmSync } from 'node:fs';
import { jobPaths } from './job-paths.js';
import { killProcessGroup } from './kill-process-group.js';

/**
 * Kills the process group a dead node of this host had started for a job, so a recovered job
 * never runs twice side by side. Only for local owners: another host's pids mean nothing here.
 */
export const killLeftovers = (workDir: string): void => {
  let pid: number;
  try {
    pid = Number(readFileSync(jobPaths(workDir).pid, 'utf8'));
  } catch {
    return; // a module job, or the process never started
  }
  if (Number.isInteger(pid) && pid > 1) killProcessGroup(pid, 'SIGKILL');
  rmSync(jobPaths(workDir).pid, { force: true });
};
