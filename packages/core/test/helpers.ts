import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach } from 'vitest';
import { createCore, type Core, type CoreOptions } from '../src/index.js';

export const fixtureCatalog = new URL('./fixtures/catalog', import.meta.url).pathname;

/** A fresh data folder for this test file, removed afterwards unless a test failed (then kept to look at). */
export const useTempDir = (prefix = 'botgate-core-'): (() => string) => {
  let failed = false;
  const dirs: string[] = [];
  afterEach((context) => {
    if (context.task.result?.state === 'fail') failed = true;
  });
  afterAll(() => {
    if (failed) console.warn(`kept test data in ${dirs.join(', ')}`);
    else for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };
};

/** Opens a core on a fresh data folder and closes it after the file's tests, so no worker outlives them. */
export const useCore = (newDir: () => string) => {
  const cores: Core[] = [];
  afterAll(async () => {
    await Promise.all(cores.map((core) => core.close({ graceMs: 0 })));
  });
  return async (options: Partial<CoreOptions> = {}): Promise<Core> => {
    const core = await createCore({ dataDir: newDir(), catalogDir: fixtureCatalog, commandEnv: process.env, pollMs: 100, ...options });
    cores.push(core);
    return core;
  };
};
