// Bundles the CLI and server into one file (dist/botgate.cjs): a cold start then reads one file
// instead of resolving and reading several hundred modules, which took most of `botgate serve`'s
// start (see docs/performance.md, cold start). CommonJS, because bin/botgate.js compiles it as a
// vm.Script with V8's code cache, and a script cannot be an ES module.
import { copyFileSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parse } from 'acorn';
import { build } from 'esbuild';

const here = new URL('..', import.meta.url).pathname;
const require = createRequire(import.meta.url);
const { outputFiles } = await build({
  stdin: {
    contents: "const { main } = require('./cli/main.js');\nmain(process.argv);\n",
    resolveDir: join(here, 'dist'),
    loader: 'js',
  },
  outfile: join(here, 'dist/botgate.cjs'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // Native code, a worker thread's own file, and database drivers knex loads only when configured.
  external: [
    'better-sqlite3',
    'piscina',
    'pg',
    'pg-native',
    'pg-query-stream',
    'sqlite3',
    'mysql',
    'mysql2',
    'oracledb',
    'tedious',
    'mariadb',
    'mariadb/callback',
  ],
  // Our packages are ES modules that find files next to themselves by import.meta.url.
  define: { 'import.meta.url': '__botgateBundleUrl' },
  banner: { js: "const __botgateBundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  // Less text to decode and parse at every start; names are kept for stack traces.
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
  write: false,
});

// Node 20 loses a vm.Script's dynamic import() callback when the script comes from V8's code
// cache ("A dynamic import callback was not specified"), so every import() expression calls a
// function instead: bin/botgate.js passes one that imports from its own ES module. Found with a
// parser, not by text, so that strings and names that contain "import(" are left alone.
const rewriteDynamicImports = (code) => {
  const starts = [];
  const visit = (node) => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(visit);
    if (typeof node.type !== 'string') return;
    if (node.type === 'ImportExpression') starts.push(node.start);
    for (const key in node) if (key !== 'type' && key !== 'start' && key !== 'end') visit(node[key]);
  };
  visit(parse(code, { ecmaVersion: 'latest', sourceType: 'script', allowHashBang: true }));
  let out = code;
  for (const start of starts.sort((a, b) => b - a))
    out = `${out.slice(0, start)}__botgateLoad${out.slice(start + 'import'.length)}`;
  return out;
};
// On the first line, so that line numbers in stack traces stay the bundle's; outside the rewrite,
// so that the bundle still runs on its own (`node dist/botgate.cjs`).
const loader =
  "const __botgateLoad = typeof __botgateImport === 'function' ? __botgateImport : (specifier) => import(specifier);";
const [bundle] = outputFiles;
writeFileSync(bundle.path, loader + rewriteDynamicImports(bundle.text));
// The module runner starts its worker threads, and the command runner its spawner process, from
// these files, next to the code that names them.
for (const file of ['module-worker.mjs', 'module-thread.cjs', 'spawner.mjs']) {
  copyFileSync(join(dirname(require.resolve('@botgate/core')), 'runners', file), join(here, 'dist', file));
}
// The native spawner, when core's build could compile it (an old one is never left behind).
const nativeSpawner = join(dirname(require.resolve('@botgate/core')), 'runners', 'spawner');
rmSync(join(here, 'dist', 'spawner'), { force: true });
if (existsSync(nativeSpawner)) copyFileSync(nativeSpawner, join(here, 'dist', 'spawner'));
