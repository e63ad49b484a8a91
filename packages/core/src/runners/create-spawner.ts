import { BotgateError } from '../errors.js';
import { killProcessGroup } from './kill-process-group.js';
import { nativeSpawnerFile, startNativeSpawner } from './native-spawner.js';
import { startNodeSpawner } from './node-spawner.js';
import {
  isTransientSpawnError,
  spawnErrorOf,
  type SpawnerMessage,
  type SpawnerProcess,
  type SpawnRequest,
} from './spawner-protocol.js';

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

/**
 * `native`: spawner.c, built next to this file when a C compiler was found, which starts
 * commands with posix_spawn() (about a third of a fork's time here); `node`: spawner.mjs, which
 * needs nothing but Node. `auto`: the native one when this build has it.
 */
export type SpawnerKind = 'auto' | 'native' | 'node';

interface Pending {
  /** The spawner that started it: another one's death is none of its business. */
  helper: SpawnerProcess;
  pid: number | undefined;
  onOutput: (chunk: Buffer) => void;
  started: (pid: number | undefined) => void;
  exited: (exit: ProcessExit) => void;
}

export interface SpawnerOptions {
  /** @default 'auto' */
  kind?: SpawnerKind | undefined;
  /** Told when the native spawner (this file) cannot run here and spawner.mjs takes over. */
  onNativeUnusable?: ((file: string) => void) | undefined;
  /** @default the build's compiled spawner.c (`dist/runners/spawner`), when it has one */
  nativeFile?: string | undefined;
}

/**
 * Starts commands through one small long-lived process, started at the first command and again
 * after it dies. Should it die while commands run, their groups are killed and their runs end
 * `lost`: nothing would hear of their exit.
 */
export const createSpawner = ({
  kind = 'auto',
  onNativeUnusable = () => {},
  nativeFile: file = nativeSpawnerFile(),
}: SpawnerOptions = {}): Spawner => {
  let nativeFile = kind === 'node' ? undefined : file;
  if (kind === 'native' && nativeFile === undefined)
    throw new BotgateError('INVALID_CONFIG', 'this build has no native spawner (no C compiler was found at its build)');
  let helper: SpawnerProcess | undefined;
  let closed = false;
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
      if (pending.size === 0) job.helper.hold(false);
      job.started(job.pid);
      job.exited(
        message.spawnError === undefined
          ? { code: message.code ?? null, signal: message.signal ?? null }
          : { code: null, signal: null, spawnError: message.spawnError },
      );
    }
  };

  const onLost = (lost: SpawnerProcess): void => {
    if (helper === lost) helper = undefined;
    for (const [id, job] of pending) {
      if (job.helper !== lost) continue;
      pending.delete(id);
      if (job.pid !== undefined) killProcessGroup(job.pid, 'SIGKILL');
      job.started(job.pid);
      job.exited({ code: null, signal: null, lost: true });
    }
  };

  /**
   * A native spawner that ended before it was ready started nothing: with `auto`, its requests go
   * to spawner.mjs, which this process uses from then on; asked for `native`, they could not start.
   */
  const onUnusable = (unusable: SpawnerProcess, requests: Array<[number, SpawnRequest]>, why: string): void => {
    if (closed) return onLost(unusable);
    if (kind === 'native') {
      for (const [id] of requests)
        onMessage({ type: 'exit', id, spawnError: `the native spawner cannot run here (${why})` });
      return onLost(unusable);
    }
    if (nativeFile) onNativeUnusable(nativeFile);
    nativeFile = undefined;
    if (helper === unusable) helper = undefined;
    for (const [id, request] of requests) {
      const job = pending.get(id);
      if (!job) continue;
      try {
        job.helper = running();
      } catch (error) {
        onMessage({ type: 'exit', id, spawnError: spawnErrorOf(request.program, error) });
        continue;
      }
      job.helper.hold(true);
      job.helper.send(id, request);
    }
  };

  const startNative = (file: string): SpawnerProcess | undefined => {
    try {
      const started: SpawnerProcess = startNativeSpawner(
        file,
        onMessage,
        () => onLost(started),
        (requests, why) => onUnusable(started, requests, why),
      );
      return started;
    } catch (error) {
      // Refused at once (ETXTBSY while a build rewrites it, E2BIG): as one that cannot run here.
      // Out of memory for a moment (Node throws ENOMEM where it tells EMFILE by an event): not.
      if (kind === 'native' || isTransientSpawnError(error)) throw error;
      onNativeUnusable(file);
      nativeFile = undefined;
      return undefined;
    }
  };

  const running = (): SpawnerProcess => {
    if (helper?.alive()) return helper;
    const started: SpawnerProcess =
      (nativeFile && startNative(nativeFile)) || startNodeSpawner(onMessage, () => onLost(started));
    helper = started;
    return started;
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
      let child: SpawnerProcess;
      try {
        child = running();
      } catch (error) {
        // No spawner could start (no memory, no descriptor): as a command that cannot start.
        started(undefined);
        exited({ code: null, signal: null, spawnError: spawnErrorOf(request.program, error) });
        return result;
      }
      pending.set(id, { helper: child, pid: undefined, onOutput, started, exited });
      // While a command runs, the spawner keeps this process alive to hear its end.
      child.hold(true);
      child.send(id, request);
      return result;
    },
    async close() {
      closed = true;
      const child = helper;
      helper = undefined;
      await child?.close();
    },
  };
};
