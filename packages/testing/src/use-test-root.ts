import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach } from 'vitest';

/**
 * A temp folder for one test file (data folders, SQLite files, uploads), removed after its tests
 * unless one failed: then it is kept, and named, so its database and job folders can be read.
 * `cleanups` run first, in order (servers and cores to close, databases to drop).
 */
export const useTestRoot = (prefix: string) => {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const cleanups: Array<() => Promise<void>> = [];
  let failed = false;
  afterEach((context) => {
    if (context.task.result?.state === 'fail') failed = true;
  });
  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
    if (failed) console.warn(`kept test data in ${root}`);
    else rmSync(root, { recursive: true, force: true });
  });
  return { root, cleanups };
};
