import { join } from 'node:path';

/** Where a job's files live inside its working folder; the runners and the adapters agree on these. */
export const jobPaths = (workDir: string) => ({
  input: join(workDir, 'input.json'),
  outputDir: join(workDir, 'output'),
  control: join(workDir, '.botgate'),
  output: join(workDir, '.botgate', 'output.json'),
  /** The command's process (group) id, so a node that finds its owner dead can kill what is left. */
  pid: join(workDir, '.botgate', 'pid'),
  workItemsIn: join(workDir, '.botgate', 'work-items-in.json'),
  workItemsOut: join(workDir, '.botgate', 'work-items-out.json'),
});
