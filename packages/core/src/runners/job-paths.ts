import { join } from 'node:path';

/**
 * Where a job's files live inside its working folder; the runners and the adapters agree on these.
 * Each path is joined when it is read: a module job reads two of the eight, and `join`'s
 * normalising was a tenth of the memory a queued module job allocated.
 */
export const jobPaths = (workDir: string) => ({
  get input() {
    return join(workDir, 'input.json');
  },
  get outputDir() {
    return join(workDir, 'output');
  },
  get control() {
    return join(workDir, '.botgate');
  },
  get output() {
    return join(workDir, '.botgate', 'output.json');
  },
  /** The command's process (group) id, so a node that finds its owner dead can kill what is left. */
  get pid() {
    return join(workDir, '.botgate', 'pid');
  },
  /** The command's output as it is written, for watching a running job (the job row keeps the tail). */
  get log() {
    return join(workDir, '.botgate', 'log');
  },
  get workItemsIn() {
    return join(workDir, '.botgate', 'work-items-in.json');
  },
  get workItemsOut() {
    return join(workDir, '.botgate', 'work-items-out.json');
  },
});
