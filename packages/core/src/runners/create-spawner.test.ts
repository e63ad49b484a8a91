import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createSpawner, type SpawnerKind } from './create-spawner.js';
import { nativeSpawnerFile } from './native-spawner.js';

/** A "native spawner" that cannot run here: it ends before it is ready, as a binary built elsewhere would. */
const unusableSpawner = (): string => {
  const file = join(mkdtempSync(join(tmpdir(), 'botgate-spawner-')), 'spawner');
  writeFileSync(file, '#!/bin/sh\nexit 126\n');
  chmodSync(file, 0o755);
  return file;
};

const echo = async (kind: SpawnerKind, nativeFile: string | undefined, args = ['hello']) => {
  const told: string[] = [];
  const spawner = createSpawner({ kind, nativeFile, onNativeUnusable: (file) => told.push(file) });
  const output: Buffer[] = [];
  try {
    const child = spawner.spawn(
      { program: 'echo', args, cwd: tmpdir(), env: { PATH: process.env.PATH }, pidFile: '/dev/null' },
      (chunk) => output.push(chunk),
    );
    return { exit: await child.exited, output: Buffer.concat(output).toString(), told };
  } finally {
    await spawner.close();
  }
};

describe.skipIf(process.platform !== 'linux')('a native spawner that cannot run here', () => {
  it('hands its commands to spawner.mjs, which is used from then on, and says so once', async () => {
    const file = unusableSpawner();
    const { exit, output, told } = await echo('auto', file);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(output).toBe('hello\n');
    expect(told).toEqual([file]);
  });

  it('ends their runs as commands that could not start when the native spawner was asked for', async () => {
    const { exit, told } = await echo('native', unusableSpawner());
    expect(exit).toEqual({
      code: null,
      signal: null,
      spawnError: 'the native spawner cannot run here (it exited with code 126)',
    });
    expect(told).toEqual([]);
  });
});

// Without a C compiler at the build there is no native spawner, except in CI, where it must be.
const kinds: SpawnerKind[] = nativeSpawnerFile() || process.env.CI ? ['native', 'node'] : ['node'];

/**
 * In a process allowed 64 descriptors: every descriptor taken, a command, then all freed, and
 * another command; then, all taken again, a command on another spawner closed at once. Run from the build (dist/), as the native spawner itself is. `native` is asked
 * for as `auto`: the case is one that could be taken for a spawner that cannot run here.
 */
const outOfDescriptors = `
import { openSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
const { createSpawner } = await import(process.argv[1]);
const told = [];
const spawner = createSpawner({ kind: process.argv[2] === 'native' ? 'auto' : process.argv[2], onNativeUnusable: (file) => told.push(file) });
const request = { program: 'echo', args: ['hello'], cwd: tmpdir(), env: { PATH: process.env.PATH }, pidFile: '/dev/null' };
const taken = [];
try {
  for (;;) taken.push(openSync('/dev/null', 'r'));
} catch {}
const first = await spawner.spawn(request, () => {}).exited;
for (const fd of taken.splice(0)) closeSync(fd);
let output = '';
const second = await spawner.spawn(request, (chunk) => (output += chunk)).exited;
await spawner.close();
// Closed at once after a spawn that failed: it started nothing and there is nothing to wait for.
const another = createSpawner({ kind: process.argv[2] === 'native' ? 'auto' : process.argv[2] });
try {
  for (;;) taken.push(openSync('/dev/null', 'r'));
} catch {}
const third = another.spawn(request, () => {}).exited;
await another.close();
const closed = await third;
for (const fd of taken.splice(0)) closeSync(fd);
console.log(JSON.stringify({ first, second, output, told, closed }));
`;

describe.skipIf(process.platform !== 'linux').each<SpawnerKind>(kinds)(
  'the %s spawner, when it cannot start for want of descriptors',
  (kind) => {
    it('fails the command as one that could not start, and is used again once there are some', () => {
      const built = fileURLToPath(new URL('../../dist/runners/create-spawner.js', import.meta.url));
      const result = spawnSync(
        'sh',
        [
          '-c',
          'ulimit -n 64 && exec "$0" --input-type=module -e "$1" "$2" "$3"',
          process.execPath,
          outOfDescriptors,
          built,
          kind,
        ],
        { encoding: 'utf8' },
      );
      expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
      const { first, second, output, told, closed } = JSON.parse(result.stdout) as Record<string, unknown>;
      expect(first).toMatchObject({
        code: null,
        signal: null,
        spawnError: expect.stringMatching(/^spawn echo EMFILE$/),
      });
      expect(second).toEqual({ code: 0, signal: null });
      expect(output).toBe('hello\n');
      // The native one is not given up for spawner.mjs for good.
      expect(told).toEqual([]);
      expect(closed).toMatchObject({ spawnError: 'spawn echo EMFILE' });
    });
  },
);

describe.skipIf(process.platform !== 'linux').each<SpawnerKind>(kinds)('the %s spawner', (kind) => {
  it('refuses an argument with a null byte, as Node does, and starts nothing', async () => {
    const { exit, output } = await echo(kind, undefined, ['a\0b', 'c']);
    expect(exit.spawnError).toMatch(/null bytes?/);
    expect(output).toBe('');
  });
});
