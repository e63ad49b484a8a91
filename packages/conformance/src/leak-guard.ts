import { execFileSync } from 'node:child_process';
import { afterAll } from 'vitest';

const open = new Map<number, string>();
let next = 0;

/** Marks something started (a server, a core, a child process) open; answers the function that marks it closed. */
export const track = (what: string): (() => void) => {
  const id = ++next;
  open.set(id, what);
  return () => open.delete(id);
};

/** This process's child processes still alive (a command job's, an adapter process'), by pid and command line. */
const childProcesses = (): string[] => {
  try {
    return execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(process.pid)], { encoding: 'utf8' })
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !/\bps -o pid=,args=/.test(line));
  } catch {
    // ps exits 1 when there is no child.
    return [];
  }
};

/**
 * Fails the test file when it leaves a server, a core (its worker and threads) or a child process
 * behind once its own cleanups ran. Call it first in the file: vitest runs `afterAll` hooks last
 * registered first, so this one runs after every cleanup.
 */
export const useLeakGuard = (): void => {
  afterAll(() => {
    const left = [...open.values(), ...childProcesses().map((line) => `child process ${line}`)];
    open.clear();
    if (left.length > 0) throw new Error(`the tests left these running:\n  ${left.join('\n  ')}`);
  });
};
