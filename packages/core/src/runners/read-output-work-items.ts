import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import type { OutputWorkItem } from '../jobs/job.js';

/**
 * The work items a robot wrote through Robocorp's FileAdapter: a JSON array of
 * `{ payload, files: { name: path } }`, as `robocorp.workitems` and `RPA.Robocorp.WorkItems`
 * write it. A file is named by its key; a relative path is read from the output file's own
 * folder, as both libraries resolve it. Only files inside the job's folder are kept (a path
 * outside it is not the job's to serve). A robot that wrote none, or wrote something
 * unreadable, has none; its run is judged by its exit code alone. Read synchronously: parsing
 * it holds the event loop anyway, and most robots write none (see `collectFiles`).
 */
export const readOutputWorkItems = (path: string, workDir: string): OutputWorkItem[] => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  const base = dirname(path);
  return parsed
    .filter(
      (item): item is Record<string, unknown> => typeof item === 'object' && item !== null && !Array.isArray(item),
    )
    .map((item) => {
      const files =
        typeof item.files === 'object' && item.files !== null && !Array.isArray(item.files)
          ? Object.entries(item.files as Record<string, unknown>)
          : [];
      return {
        payload: (item.payload ?? null) as OutputWorkItem['payload'],
        files: files.flatMap(([name, file]) => {
          if (typeof file !== 'string' || name === '') return [];
          const inside = relative(workDir, isAbsolute(file) ? file : resolve(base, file));
          return inside === '' || inside.startsWith('..') || isAbsolute(inside)
            ? []
            : [{ name, path: inside.split(sep).join('/') }];
        }),
      };
    });
};
