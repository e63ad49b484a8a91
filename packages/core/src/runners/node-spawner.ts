import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { SpawnerMessage, SpawnerProcess } from './spawner-protocol.js';

/** The spawner written in JavaScript (why a process of its own: spawner.mjs). */
const spawnerFile = fileURLToPath(new URL('./spawner.mjs', import.meta.url));

/** Starts spawner.mjs, which speaks over Node's IPC channel (advanced serialization, so output stays bytes). */
export const startNodeSpawner = (onMessage: (message: SpawnerMessage) => void, onExit: () => void): SpawnerProcess => {
  // Not `fork()`: that would pass on the server's own flags (--cpu-prof, --inspect).
  const child = spawn(process.execPath, [spawnerFile], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'advanced',
  });
  child.on('message', onMessage);
  child.once('exit', onExit);
  child.on('error', onExit);
  // An idle spawner does not keep the server (or the CLI's `run --wait`) alive.
  child.unref();
  child.channel?.unref();
  return {
    alive: () => child.connected,
    send: (id, request) => child.send({ type: 'spawn', id, ...request }),
    hold: (busy) => (busy ? child.channel?.ref() : child.channel?.unref()),
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      if (child.connected) child.disconnect();
      await gone;
    },
  };
};
