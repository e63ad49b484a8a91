import { copyFile, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { JobFile } from './job.js';
import { sanitizeFileName, uniqueFileName } from './sanitize-file-name.js';

/**
 * A file handed to a new job: a path on this machine, copied (or moved, for an upload's temp
 * file that nobody else needs), or its bytes.
 */
export type InputFile = { name: string; path: string; move?: boolean } | { name: string; content: Uint8Array | string };

/**
 * Puts input files into a job's folder before the job row exists, so no worker can claim the job
 * before its files are there.
 */
export const stageInputFiles = async (workDir: string, files: readonly InputFile[]): Promise<JobFile[]> => {
  await mkdir(workDir, { recursive: true });
  const taken = new Set<string>(['input.json', 'output', '.botgate']);
  const staged: JobFile[] = [];
  for (const file of files) {
    const name = uniqueFileName(sanitizeFileName(file.name), taken);
    taken.add(name);
    const target = join(workDir, name);
    if ('path' in file && !file.move) {
      await copyFile(file.path, target);
    } else if ('path' in file) {
      try {
        await rename(file.path, target);
      } catch (error) {
        // A temp folder on another file system cannot be renamed across.
        if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
        await copyFile(file.path, target);
        await rm(file.path, { force: true });
      }
    } else {
      await writeFile(target, file.content);
    }
    staged.push({ name, size: (await stat(target)).size });
  }
  return staged;
};
