import { readdirSync, statSync, type Dirent } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { JobFile } from '../jobs/job.js';

/** Past this many files their sizes are read through libuv's pool, one at a time, as before. */
const statInPlace = 64;

/**
 * Every file under `dir` (recursively), named relative to it with `/`; none when `dir` does not
 * exist. The listing is read in place, in one call: most jobs leave a few files or none, and each
 * trip through libuv's pool cost a job's end about a quarter of a millisecond here (bench/ suite
 * 5). A job that leaves many files has their sizes read through the pool, so their stats do not
 * hold the event loop, one at a time so that they do not hold the pool either.
 */
export const collectFiles = async (dir: string): Promise<JobFile[]> => {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { recursive: true, withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const paths = entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
  const sizes: number[] = [];
  if (paths.length <= statInPlace) for (const path of paths) sizes.push(statSync(path).size);
  else for (const path of paths) sizes.push((await stat(path)).size);
  return paths
    .map((path, i) => ({ name: relative(dir, path).split(sep).join('/'), size: sizes[i] as number }))
    .sort((a, b) => a.name.localeCompare(b.name));
};
