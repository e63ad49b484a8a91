#!/usr/bin/env node
// Starts the bundle (one CommonJS file, built by scripts/bundle.mjs) with V8's compiled code of
// it kept on disk between starts: compiling the bundle was a fifth of a start, and Node 20 has no
// compile cache of its own (decision 0007). NODE_COMPILE_CACHE names the cache's folder, as it does
// for Node's own cache, and NODE_DISABLE_COMPILE_CACHE=1 turns it off. The default is the user's
// own cache folder, not a shared temporary one: a cache is code this process will run.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const bundle = fileURLToPath(new URL('../dist/botgate.cjs', import.meta.url));
const useCache = process.env.NODE_DISABLE_COMPILE_CACHE !== '1';
// V8 checks a cache against the source's length only, so the file's name carries what changes
// with every build and every runtime.
const stat = statSync(bundle);
const cacheDir =
  process.env.NODE_COMPILE_CACHE || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'botgate');
const cacheFile = join(
  cacheDir,
  `botgate-${stat.size}-${Math.trunc(stat.mtimeMs)}-${process.version}-${process.arch}.cache`,
);
let cachedData;
if (useCache) {
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    // No cache yet: this start writes one.
  }
}
// CommonJS's wrapper, and one more argument: the bundle's import() expressions call it, since a
// script from a code cache loses its own dynamic import callback on Node 20 (scripts/bundle.mjs).
const script = new vm.Script(
  `(function (exports, require, module, __filename, __dirname, __botgateImport) {${readFileSync(bundle, 'utf8')}\n})`,
  { filename: bundle, cachedData },
);
if (useCache && (cachedData === undefined || script.cachedDataRejected)) {
  // After the start's work, so the cache holds the functions a start compiles: at exit for a
  // short command, after two seconds for a server.
  let written = false;
  const save = () => {
    if (written) return;
    written = true;
    try {
      mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
      const partial = `${cacheFile}.${process.pid}`;
      writeFileSync(partial, script.createCachedData());
      renameSync(partial, cacheFile);
      // Earlier builds' caches are never read again.
      for (const name of readdirSync(cacheDir))
        if (name.startsWith('botgate-') && name.endsWith('.cache') && name !== basename(cacheFile))
          rmSync(join(cacheDir, name), { force: true });
    } catch {
      // A folder that cannot be written costs only the speed-up.
    }
  };
  process.once('exit', save);
  setTimeout(save, 2000).unref();
}
const bundleModule = { exports: {} };
script.runInThisContext()(
  bundleModule.exports,
  createRequire(bundle),
  bundleModule,
  bundle,
  dirname(bundle),
  (specifier) => import(specifier),
);
