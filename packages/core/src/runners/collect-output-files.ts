import { opendirSync, statSync, type Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { JobFile } from '../jobs/job.js';

/** Up to this many files, all at the folder's top, are listed and sized in place. */
const inPlace = 64;

/**
 * Every file under `dir` (recursively), named relative to it with `/`; none when `dir` does not
 * exist. Most jobs leave a few files or none, and each trip through libuv's pool cost a job's end
 * about a quarter of a millisecond here (bench/ suite 5): so the folder's first entries are read
 * in place, and when they are a few files and nothing else, so are their sizes. Anything more (a
 * subfolder, more files) is listed and sized through the pool, one at a time, so that a job that
 * leaves a tree of thousands of files holds neither the event loop nor the pool.
 */
export const collectFiles = async (dir: string): Promise<JobFile[]> => {
  let folder;
  try {
    folder = opendirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const top: Dirent[] = [];
  let more = false;
  try {
    for (let entry = folder.readSync(); entry !== null; entry = folder.readSync()) {
      if (top.length === inPlace || entry.isDirectory()) {
        more = true;
        break;
      }
      top.push(entry);
    }
  } finally {
    folder.closeSync();
  }
  let files: Array<{ path: string; size: number }>;
  if (!more)
    files = top
      .filter((entry) => entry.isFile())
      .map((entry) => {
        const path = join(dir, entry.name);
        return { path, size: statSync(path).size };
      });
  else {
    files = [];
    const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch((error: unknown) => {
      // Gone since its first entries were read: as a folder that is not there.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    });
    for (const entry of entries) {
      if (!entry.isFile()) continue;
      const path = join(entry.parentPath, entry.name);
      files.push({ path, size: (await stat(path)).size });
    }
  }
  return files
    .map(({ path, size }) => ({ name: relative(dir, path).split(sep).join('/'), size }))
    .sort((a, b) => a.name.localeCompare(b.name));
};
