import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { killProcessGroup } from './kill-process-group.js';

/** The spawner's entry (why a process of its own: spawner.mjs). */
const spawnerFile = fileURLToPath(new URL('./spawner.mjs', import.meta.url));

export interface SpawnRequest {
  program: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Where the spawner writes the process's id the moment it has one. */
  pidFile: string;
}

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** It never started: why. */
  spawnError?: string;
  /** The spawner died while the process ran; the process group was killed. */
  lost?: boolean;
}

export interface SpawnedProcess {
  /** Resolves with the process id once it runs; `undefined` when it could not start. */
  started: Promise<number | undefined>;
  /** Resolves when it has exited, its group is killed and its output is all delivered. */
  exited: Promise<ProcessExit>;
}

export interface Spawner {
  /** Starts a command, detached as the leader of its own process group, stdout and stderr to `onOutput`. */
  spawn(request: SpawnRequest, onOutput: (chunk: Buffer) => void): SpawnedProcess;
  close(): Promise<void>;
}

type SpawnerMessage =
  | { type: 'spawned'; id: number; pid: number }
  | { type: 'output'; id: number; chunk: Uint8Array }
  | { type: 'exit'; id: number; code?: number | null; signal?: NodeJS.Signals | null; spawnError?: string };

interface Pending {
  /** The spawner that started it: another one's death is none of its business. */
  helper: ChildProcess;
  pid: number | undefined;
  onOutput: (chunk: Buffer) => void;
  started: (pid: number | undefined) => void;
  exited: (exit: ProcessExit) => void;
}

/**
 * Starts commands through one small long-lived process (spawner.mjs), started at the first
 * command and again after it dies. Should it die while commands run, their groups are killed and
 * their runs end `lost`: nothing would hear of their exit.
 */
export const createSpawner = (): Spawner => {
  let helper: ChildProcess | undefined;
  const pending = new Map<number, Pending>();
  let nextId = 0;

  const onMessage = (message: SpawnerMessage): void => {
    const job = pending.get(message.id);
    if (!job) return;
    if (message.type === 'output') job.onOutput(Buffer.from(message.chunk));
    else if (message.type === 'spawned') {
      job.pid = message.pid;
      job.started(message.pid);
    } else {
      pending.delete(message.id);
      job.started(job.pid);
      job.exited(
        message.spawnError === undefined
          ? { code: message.code ?? null, signal: message.signal ?? null }
          : { code: null, signal: null, spawnError: message.spawnError },
      );
    }
  };

  const onLost = (child: ChildProcess): void => {
    if (helper === child) helper = undefined;
    for (const [id, job] of pending) {
      if (job.helper !== child) continue;
      pending.delete(id);
      if (job.pid !== undefined) killProcessGroup(job.pid, 'SIGKILL');
      job.started(job.pid);
      job.exited({ code: null, signal: null, lost: true });
    }
  };

  const running = (): ChildProcess => {
    if (helper?.connected) return helper;
    // Not `fork()`: that would pass on the server's own flags (--cpu-prof, --inspect).
    const child = spawn(process.execPath, [spawnerFile], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'advanced',
    });
    child.on('message', onMessage);
    child.once('exit', () => onLost(child));
    child.on('error', () => onLost(child));
    // An idle spawner does not keep the server (or the CLI's `run --wait`) alive.
    child.unref();
    child.channel?.unref();
    helper = child;
    return child;
  };

  return {
    spawn(request, onOutput) {
      const id = ++nextId;
      let started!: (pid: number | undefined) => void;
      let exited!: (exit: ProcessExit) => void;
      const result: SpawnedProcess = {
        started: new Promise((resolve) => (started = resolve)),
        exited: new Promise((resolve) => (exited = resolve)),
      };
      const child = running();
      pending.set(id, { helper: child, pid: undefined, onOutput, started, exited });
      // While a command runs, the channel keeps this process alive to hear its end.
      if (pending.size === 1) child.channel?.ref();
      void result.exited.then(() => {
        if (pending.size === 0) child.channel?.unref();
      });
      child.send({ type: 'spawn', id, ...request });
      return result;
    },
    async close() {
      const child = helper;
      helper = undefined;
      if (!child || child.exitCode !== null) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.disconnect();
      await gone;
    },
  };
};
