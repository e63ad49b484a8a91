import { readdirSync, statSync, type Dirent } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { JobFile } from '../jobs/job.js';

/**
 * Past this many files their sizes are read through libuv's pool, so a job that leaves thousands
 * does not hold the event loop for their stats.
 */
const statInPlace = 64;

/**
 * Every file under `dir` (recursively), named relative to it with `/`; none when `dir` does not
 * exist. The listing is read synchronously: most jobs leave a few files or none, and each trip
 * through libuv's pool cost a job's end about a quarter of a millisecond here (bench/ suite 5).
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
  const sizes =
    paths.length <= statInPlace
      ? paths.map((path) => statSync(path).size)
      : await Promise.all(paths.map(async (path) => (await stat(path)).size));
  return paths
    .map((path, i) => ({ name: relative(dir, path).split(sep).join('/'), size: sizes[i] as number }))
    .sort((a, b) => a.name.localeCompare(b.name));
};
