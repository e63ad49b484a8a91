import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import type { Socket } from 'node:net';
import { constants as os } from 'node:os';
import { fileURLToPath } from 'node:url';
import { getSystemErrorName } from 'node:util';
import {
  isTransientSpawnError,
  spawnErrorOf,
  type SpawnerMessage,
  type SpawnerProcess,
  type SpawnRequest,
} from './spawner-protocol.js';

/**
 * spawner.c as the build compiles it: next to this file in dist/ (and next to the server's
 * bundle, which copies it there), or, for code run from src/ (the tests), in dist/ beside it.
 */
const candidates = ['./spawner', '../../dist/runners/spawner'].map((path) =>
  fileURLToPath(new URL(path, import.meta.url)),
);

/** The native spawner's path, when this build has one that this process may run. */
export const nativeSpawnerFile = (): string | undefined =>
  candidates.find((file) => {
    try {
      accessSync(file, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });

// The first name of a number that has two (SIGABRT, not SIGIOT), as Node's own spawn says it.
const signalNames = new Map<number, NodeJS.Signals>();
for (const [name, number] of Object.entries(os.signals))
  if (!signalNames.has(number)) signalNames.set(number, name as NodeJS.Signals);

/**
 * A request as spawner.c reads it (its header comment): id, counts, then NUL-terminated strings.
 * Undefined when a string holds a NUL, which spawner.c would read as its end (Node's spawn
 * refuses such a string too).
 */
const encode = (id: number, request: SpawnRequest): Buffer | undefined => {
  const env = Object.entries(request.env).flatMap(([name, value]) => (value === undefined ? [] : [`${name}=${value}`]));
  const strings = [request.cwd, request.pidFile, request.program, request.program, ...request.args, ...env];
  if (strings.some((text) => text.includes('\0'))) return undefined;
  const text = `${strings.join('\0')}\0`;
  const size = Buffer.byteLength(text);
  const frame = Buffer.allocUnsafe(16 + size);
  frame.writeUInt32LE(12 + size, 0);
  frame.writeUInt32LE(id, 4);
  frame.writeUInt32LE(1 + request.args.length, 8);
  frame.writeUInt32LE(env.length, 12);
  frame.write(text, 16);
  return frame;
};

/** Reads spawner.c's frames off its stdout as they come, in whatever pieces the pipe gives. */
const createDecoder = (
  programs: Map<number, string>,
  onMessage: (message: SpawnerMessage) => void,
  onReady: () => void,
) => {
  let pending: Buffer = Buffer.alloc(0);
  return (data: Buffer): void => {
    pending = pending.length === 0 ? data : Buffer.concat([pending, data]);
    let at = 0;
    while (pending.length - at >= 4) {
      const size = pending.readUInt32LE(at);
      if (pending.length - at - 4 < size) break;
      const type = String.fromCharCode(pending[at + 4] as number);
      const id = pending.readUInt32LE(at + 5);
      const body = pending.subarray(at + 9, at + 4 + size);
      at += 4 + size;
      if (type === 'R') onReady();
      else if (type === 'O') onMessage({ type: 'output', id, chunk: body });
      else if (type === 'S') onMessage({ type: 'spawned', id, pid: body.readInt32LE(0) });
      else if (type === 'X') {
        programs.delete(id);
        const signal = body.readInt32LE(4);
        onMessage({
          type: 'exit',
          id,
          code: signal === 0 ? body.readInt32LE(0) : null,
          signal: signal === 0 ? null : (signalNames.get(signal) ?? null),
        });
      } else if (type === 'E') {
        const errno = body.readInt32LE(0);
        onMessage({
          type: 'exit',
          id,
          spawnError: spawnErrorOf(programs.get(id) ?? '', { code: getSystemErrorName(-errno) }),
        });
        programs.delete(id);
      }
    }
    pending = pending.subarray(at);
  };
};

/**
 * Starts the native spawner (spawner.c), which reads requests on its stdin and answers on its
 * stdout. Requests wait for its first frame, "ready": should it end before that (a binary built
 * for another machine, or refused by the kernel), it has started nothing, and `onUnusable` gets the
 * requests it was sent, to start elsewhere, and why, instead of `onExit`. Should it fail to start
 * for want of descriptors or processes, its requests end as commands that could not start.
 */
export const startNativeSpawner = (
  file: string,
  onMessage: (message: SpawnerMessage) => void,
  onExit: () => void,
  onUnusable: (requests: Array<[number, SpawnRequest]>, why: string) => void,
): SpawnerProcess => {
  const child = spawn(file, [], { stdio: ['pipe', 'pipe', 'inherit'] });
  const programs = new Map<number, string>();
  // Requests sent before the spawner was ready, with their frames.
  let waiting: Array<[number, SpawnRequest, Buffer]> | undefined = [];
  const onReady = (): void => {
    const requests = waiting ?? [];
    waiting = undefined;
    for (const [, , frame] of requests) child.stdin?.write(frame);
  };
  let ended = false;
  const onEnd = (why: string, error?: unknown): void => {
    if (ended) return;
    ended = true;
    const unsent = waiting;
    waiting = undefined;
    if (!unsent) return onExit();
    // Out of descriptors or processes for a moment: it could not start, but it can run here, so
    // these requests fail as a command that cannot start would, and the next one tries it again.
    if (isTransientSpawnError(error)) {
      for (const [id, request] of unsent)
        onMessage({ type: 'exit', id, spawnError: spawnErrorOf(request.program, error) });
      return onExit();
    }
    onUnusable(
      unsent.map(([id, request]) => [id, request]),
      why,
    );
  };
  // A spawn that failed (EMFILE, ENOENT) leaves the child without its pipes, and tells only by
  // 'error' on the next tick: its listeners first, and nothing that assumes the pipes exist.
  child.on('error', (error: NodeJS.ErrnoException) => onEnd(error.code ?? error.message, error));
  // 'close', not 'exit': every frame it wrote before it ended has been read by then.
  child.once('close', (code: number | null, signal: NodeJS.Signals | null) =>
    onEnd(signal ? `it was killed by ${signal}` : `it exited with code ${code}`),
  );
  child.stdout?.on('data', createDecoder(programs, onMessage, onReady));
  // A write to a spawner that has just died fails; its 'close' ends the commands it had.
  child.stdin?.on('error', () => {});
  let open = true;
  // An idle spawner does not keep the server (or the CLI's `run --wait`) alive.
  const hold = (busy: boolean): void => {
    for (const handle of [child, child.stdout as Socket | null, child.stdin as Socket | null]) {
      if (busy) handle?.ref();
      else handle?.unref();
    }
  };
  hold(false);
  return {
    alive: () => open && !ended,
    send(id, request) {
      const frame = encode(id, request);
      if (!frame) {
        queueMicrotask(() =>
          onMessage({ type: 'exit', id, spawnError: 'an argument, its folder or its environment holds a null byte' }),
        );
        return;
      }
      programs.set(id, request.program);
      if (waiting) waiting.push([id, request, frame]);
      else child.stdin?.write(frame);
    },
    hold,
    async close() {
      open = false;
      if (ended) return;
      const gone = new Promise<void>((resolve) => child.once('close', () => resolve()));
      // Held while it leaves: `close` resolves once it has, even in a process with nothing else to do.
      hold(true);
      child.stdin?.end();
      await gone;
    },
  };
};
