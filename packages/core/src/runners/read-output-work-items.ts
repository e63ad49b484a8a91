import { readFile } from 'node:fs/promises';
import { isAbsolute, relative, sep } from 'node:path';
import type { OutputWorkItem } from '../jobs/job.js';

/**
 * The work items a robot wrote through Robocorp's FileAdapter: a JSON array of
 * `{ payload, files: { name: path } }`. A robot that wrote none, or wrote something unreadable,
 * has none; its run is judged by its exit code alone.
 */
export const readOutputWorkItems = async (path: string, workDir: string): Promise<OutputWorkItem[]> => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  return parsed
    .filter((item): item is Record<string, unknown> => typeof item === 'object' && item !== null && !Array.isArray(item))
    .map((item) => {
      const files = typeof item.files === 'object' && item.files !== null ? Object.values(item.files as Record<string, unknown>) : [];
      return {
        payload: item.payload ?? null,
        files: files
          .filter((file): file is string => typeof file === 'string')
          .map((file) => {
            const inside = isAbsolute(file) ? relative(workDir, file) : file;
            return inside.startsWith('..') ? file : inside.split(sep).join('/');
          }),
      };
    });
};
