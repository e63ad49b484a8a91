// Bundles the CLI and server into one file (dist/botgate.mjs): a cold start then reads one file
// instead of resolving and reading several hundred modules (node 20 has no compile cache), which
// took most of `botgate serve`'s start (see docs/performance.md, cold start).
import { copyFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';

const here = new URL('..', import.meta.url).pathname;
const require = createRequire(import.meta.url);
await build({
  stdin: {
    contents: "import { main } from './cli/main.js';\nawait main(process.argv);\n",
    resolveDir: join(here, 'dist'),
    loader: 'js',
  },
  outfile: join(here, 'dist/botgate.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
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
  // CommonJS dependencies call require(); an ES module bundle has to provide it.
  banner: {
    js: "import { createRequire as __botgateRequire } from 'node:module'; const require = __botgateRequire(import.meta.url);",
  },
  // Less text to decode and parse at every start; names are kept for stack traces.
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
});
// The module runner starts its worker threads from these files, next to the code that names them.
for (const file of ['module-worker.mjs', 'module-thread.cjs']) {
  copyFileSync(join(dirname(require.resolve('@botgate/core')), 'runners', file), join(here, 'dist', file));
}
