import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { DatabaseConfig } from '@botgate/core';
import { track } from './leak-guard.js';

export interface AdapterProcess {
  url: string;
  /** SIGKILL, as a crash or the OOM killer would: nothing of the node runs after it. */
  kill(): Promise<void>;
}

/**
 * The adapter in a process of its own (from its package's build, as production runs it), serving
 * without a worker. `module` and `exportName` name its `defineAdapter` module (`@botgate/local-api`,
 * `localApi`).
 */
export const startAdapterProcess = async (spec: {
  module: string;
  exportName: string;
  settings?: Record<string, unknown>;
  dataDir: string;
  catalogDir: string;
  database: DatabaseConfig;
}): Promise<AdapterProcess> => {
  const entry = new URL('../dist/adapter-process.js', import.meta.url).pathname;
  const child = spawn(process.execPath, [entry, JSON.stringify({ settings: {}, ...spec })], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const untrack = track(`adapter process ${spec.exportName} (pid ${child.pid})`);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      if (line.startsWith('listening ')) resolve(line.slice('listening '.length));
    });
    void exited.then(() => reject(new Error(`the adapter process exited before listening:\n${stderr}`)));
  });
  return {
    url,
    async kill() {
      child.kill('SIGKILL');
      await exited;
      untrack();
    },
  };
};
