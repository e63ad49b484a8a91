import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { jobPaths } from './job-paths.js';
import { killProcessGroup } from './kill-process-group.js';

/**
 * The processes that carry this job's folder in their environment (the runner sets
 * BOTGATE_JOB_DIR and children inherit it). Found through /proc where there is one: a node
 * killed between starting the command and writing its pid file leaves no pid to read.
 */
const processesOfJob = (workDir: string): number[] => {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const marker = `BOTGATE_JOB_DIR=${workDir}\0`;
  const found: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'utf8').includes(marker)) found.push(Number(entry));
    } catch {
      // gone meanwhile, or another user's
    }
  }
  return found;
};

/**
 * Kills the process group a dead node of this host had started for a job, so a recovered job
 * never runs twice side by side. Only for local owners: another host's pids mean nothing here.
 */
export const killLeftovers = (workDir: string): void => {
  const pids = new Set(processesOfJob(workDir));
  try {
    const pid = Number(readFileSync(jobPaths(workDir).pid, 'utf8'));
    if (Number.isInteger(pid) && pid > 1) pids.add(pid);
  } catch {
    // a module job, the process never started, or the node died before writing the file
  }
  for (const pid of pids) {
    // Group leaders take their group with them; a child that left the group is killed alone.
    if (!killProcessGroup(pid, 'SIGKILL')) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  rmSync(jobPaths(workDir).pid, { force: true });
};
