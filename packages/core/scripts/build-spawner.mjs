// Compiles the native spawner (src/runners/spawner.c) into dist/runners/spawner with the C
// compiler named by CC, else `cc`. Without one, or on a system the C file does not build on, the
// build goes on: commands then start through spawner.mjs, which needs only Node (slower by a
// fork of a Node process per command; see docs/decisions/0017-native-spawner.md).
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const source = fileURLToPath(new URL('../src/runners/spawner.c', import.meta.url));
const target = fileURLToPath(new URL('../dist/runners/spawner', import.meta.url));
const compiler = process.env.CC || 'cc';
rmSync(target, { force: true });
// Warnings fail the build only in CI: a newer compiler's new warning must not turn the native
// spawner off on an operator's machine, where the build's output is hidden when it succeeds.
const strict = process.env.CI ? ['-Werror'] : [];
const built = spawnSync(compiler, ['-O2', '-std=c11', '-Wall', '-Wextra', ...strict, '-o', target, source], {
  stdio: ['ignore', 'inherit', 'inherit'],
});
if (built.status !== 0) {
  rmSync(target, { force: true });
  const why = built.error ? built.error.message : `${compiler} exited with ${built.status ?? built.signal}`;
  console.warn(`@botgate/core: no native spawner (${why}); commands will start through spawner.mjs`);
}
