import { join } from 'node:path';

/** Where a job's files live inside its working folder; the runners and the adapters agree on these. */
export const jobPaths = (workDir: string) => ({
  input: join(workDir, 'input.json'),
  outputDir: join(workDir, 'output'),
  control: join(workDir, '.botgate'),
  output: join(workDir, '.botgate', 'output.json'),
  /** The command's process (group) id, so a node that finds its owner dead can kill what is left. */
  pid: join(workDir, '.botgate', 'pid'),
  /** The command's output as it is written, for watching a running job (the job row keeps the tail). */
  log: join(workDir, '.botgate', 'log'),
  workItemsIn: join(workDir, '.botgate', 'work-items-in.json'),
  workItemsOut: join(workDir, '.botgate', 'work-items-out.json'),
});
