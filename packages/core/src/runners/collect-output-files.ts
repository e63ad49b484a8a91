import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { JobFile } from '../jobs/job.js';

/** Every file under `dir` (recursively), named relative to it with `/`; none when `dir` does not exist. */
export const collectFiles = async (dir: string): Promise<JobFile[]> => {
  let entries;
  try {
    entries = await readdir(dir, { recursive: true, withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const files: JobFile[] = [];
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.push({ name: relative(dir, path).split(sep).join('/'), size: (await stat(path)).size });
  }
  return files.sort((a, b) => a.name.localeCompare(b.name));
};
