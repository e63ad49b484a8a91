// A core for a benchmark script, in the script's own process: a data folder of its own and the
// bundled example catalog; `close()` closes it and removes the folder.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore } from '@botgate/core';

export const openBenchCore = async (database, options = {}) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'botgate-bench-'));
  const core = await createCore({
    dataDir,
    catalogDir: new URL('../../examples', import.meta.url).pathname,
    commandEnv: {},
    database: typeof database === 'function' ? database(dataDir) : database,
    ...options,
  });
  return {
    core,
    dataDir,
    close: async () => {
      await core.close({ graceMs: 0 });
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
};

/** Queues `jobs` echo jobs, 64 enqueue calls at a time (sharing commits as concurrent triggers do). */
export const queueEchoJobs = async (core, jobs) => {
  for (let sent = 0; sent < jobs; sent += 64)
    await Promise.all(
      Array.from({ length: Math.min(64, jobs - sent) }, (_, i) =>
        core.jobs.enqueue({ automationId: 'echo', adapter: 'bench', plainInputs: { message: `job ${sent + i}` } }),
      ),
    );
};
