import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { spawnErrorOf, type SpawnerMessage, type SpawnerProcess } from './spawner-protocol.js';

/** The spawner written in JavaScript (why a process of its own: spawner.mjs). */
const spawnerFile = fileURLToPath(new URL('./spawner.mjs', import.meta.url));

/** Starts spawner.mjs, which speaks over Node's IPC channel (advanced serialization, so output stays bytes). */
export const startNodeSpawner = (onMessage: (message: SpawnerMessage) => void, onExit: () => void): SpawnerProcess => {
  // Not `fork()`: that would pass on the server's own flags (--cpu-prof, --inspect).
  const child = spawn(process.execPath, [spawnerFile], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'advanced',
  });
  // A spawn that failed (EMFILE, EAGAIN) leaves the child without its channel, and tells only by
  // 'error' on the next tick: the requests sent meanwhile end as commands that could not start.
  let spawnError: unknown;
  const unsent: Array<[number, string]> = [];
  const notStarted = (id: number, program: string) =>
    onMessage({ type: 'exit', id, spawnError: spawnErrorOf(program, spawnError) });
  child.on('message', onMessage);
  child.once('exit', onExit);
  child.on('error', (error: NodeJS.ErrnoException) => {
    if (child.pid === undefined) {
      spawnError = error;
      for (const [id, program] of unsent.splice(0)) notStarted(id, program);
    }
    onExit();
  });
  // An idle spawner does not keep the server (or the CLI's `run --wait`) alive.
  child.unref();
  child.channel?.unref();
  return {
    alive: () => child.connected,
    send(id, request) {
      if (child.connected) child.send({ type: 'spawn', id, ...request });
      else if (spawnError === undefined) unsent.push([id, request.program]);
      else queueMicrotask(() => notStarted(id, request.program));
    },
    hold: (busy) => (busy ? child.channel?.ref() : child.channel?.unref()),
    async close() {
      // Never started (its spawn failed): it sends no 'exit' to wait for.
      if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      // Held while it leaves: `close` resolves once it has, even in a process with nothing else to do.
      child.ref();
      if (child.connected) child.disconnect();
      await gone;
    },
  };
};
