// Runs inside a worker thread of the module pool. Kept as plain JavaScript so the same file
// serves the TypeScript sources under test and the built package.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const modules = new Map();

const load = (path) => {
  let loading = modules.get(path);
  if (!loading) {
    loading = import(pathToFileURL(path).href);
    modules.set(path, loading);
    loading.catch(() => modules.delete(path));
  }
  return loading;
};

export default async function runModule({ modulePath, inputs, context }) {
  const exported = (await load(modulePath)).default;
  if (typeof exported !== 'function') {
    throw new Error(`${modulePath} must export a default function (inputs, ctx) => outputs`);
  }
  let wroteFiles = false;
  const ctx = {
    ...context,
    // The folder exists only when needed: most module jobs never touch the disk.
    outputDir() {
      const dir = join(context.workDir, 'output');
      mkdirSync(dir, { recursive: true });
      wroteFiles = true;
      return dir;
    },
  };
  const outputs = await exported(inputs, ctx);
  // Whether output files may exist: the runner looks at the disk only then.
  return { outputs: outputs === undefined || outputs === null ? {} : outputs, wroteFiles };
}
