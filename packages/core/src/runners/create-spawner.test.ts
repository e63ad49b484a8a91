import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

  it('ends their runs as lost when the native spawner was asked for', async () => {
    const { exit, told } = await echo('native', unusableSpawner());
    expect(exit.lost).toBe(true);
    expect(told).toEqual([]);
  });
});

// Without a C compiler at the build there is no native spawner, except in CI, where it must be.
const kinds: SpawnerKind[] = nativeSpawnerFile() || process.env.CI ? ['native', 'node'] : ['node'];

describe.skipIf(process.platform !== 'linux').each<SpawnerKind>(kinds)('the %s spawner', (kind) => {
  it('refuses an argument with a null byte, as Node does, and starts nothing', async () => {
    const { exit, output } = await echo(kind, undefined, ['a\0b', 'c']);
    expect(exit.spawnError).toMatch(/null bytes?/);
    expect(output).toBe('');
  });
});
