import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { sep } from 'node:path';
import { jobPaths } from './job-paths.js';
import { killProcessGroup } from './kill-process-group.js';

/** This host's processes with the environment they started with, read from /proc (none where there is no /proc). */
const processEnvironments = function* (): Generator<{ pid: number; environ: string }> {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      yield { pid: Number(entry), environ: readFileSync(`/proc/${entry}/environ`, 'utf8') };
    } catch {
      // gone meanwhile, or another user's
    }
  }
};

const variable = (environ: string, name: string): string | undefined =>
  environ
    .split('\0')
    .find((entry) => entry.startsWith(`${name}=`))
    ?.slice(name.length + 1);

const kill = (pid: number): void => {
  // Group leaders take their group with them; a child that left the group is killed alone.
  if (!killProcessGroup(pid, 'SIGKILL')) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
};

/**
 * Kills the process group a dead node of this host had started for a job, so a recovered job
 * never runs twice side by side. Only for local owners: another host's pids mean nothing here.
 * The processes are found by the job folder in their environment (the runner sets
 * BOTGATE_JOB_DIR and children inherit it) as well as by the pid file: a node killed between
 * starting the command and writing its pid file leaves no pid to read.
 */
export const killLeftovers = (workDir: string): void => {
  const pids = new Set<number>();
  for (const { pid, environ } of processEnvironments())
    if (variable(environ, 'BOTGATE_JOB_DIR') === workDir) pids.add(pid);
  try {
    const pid = Number(readFileSync(jobPaths(workDir).pid, 'utf8'));
    if (Number.isInteger(pid) && pid > 1) pids.add(pid);
  } catch {
    // a module job, the process never started, or the node died before writing the file
  }
  pids.forEach(kill);
  rmSync(jobPaths(workDir).pid, { force: true });
};

/**
 * Kills every process this node started for the job of `workDir` that is still there, found by
 * the job folder and node in its environment alone: for a run whose spawner died, which may have
 * died before it told the pid, and whose command may have left its process group. Not by the pid
 * file: its process may have ended and its pid been given to another. Not another node's: on a
 * shared host, one that took the job over runs it from the same folder.
 */
export const killJobProcesses = (workDir: string, nodeId: string): void => {
  for (const { pid, environ } of processEnvironments())
    if (variable(environ, 'BOTGATE_JOB_DIR') === workDir && variable(environ, 'BOTGATE_NODE_ID') === nodeId) kill(pid);
};

/**
 * At a node's start: kills every process of a job folder under `jobsDir` (this node's data
 * folder) whose node (BOTGATE_NODE_ID) `isDead` says is gone, whatever its job row says now: a
 * node of another host may have recovered the job already, and could not kill a process here.
 * Answers the pids killed.
 */
export const killOrphans = (jobsDir: string, isDead: (nodeId: string) => boolean): number[] => {
  const prefix = jobsDir.endsWith(sep) ? jobsDir : `${jobsDir}${sep}`;
  const killed: number[] = [];
  for (const { pid, environ } of processEnvironments()) {
    const dir = variable(environ, 'BOTGATE_JOB_DIR');
    const owner = variable(environ, 'BOTGATE_NODE_ID');
    if (dir?.startsWith(prefix) && owner !== undefined && isDead(owner)) {
      kill(pid);
      killed.push(pid);
    }
  }
  return killed;
};
