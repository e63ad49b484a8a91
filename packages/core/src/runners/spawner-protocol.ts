/** What the command runner asks of a spawner process: one command to start. */
export interface SpawnRequest {
  program: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Where the spawner writes the process's id the moment it has one. */
  pidFile: string;
}

/** What a spawner process tells of the commands it started, by the id their request came with. */
export type SpawnerMessage =
  | { type: 'spawned'; id: number; pid: number }
  | { type: 'output'; id: number; chunk: Uint8Array }
  | { type: 'exit'; id: number; code?: number | null; signal?: NodeJS.Signals | null; spawnError?: string };

/** One spawner process, as the server drives it: spawner.mjs over Node's IPC, or the native one over pipes. */
export interface SpawnerProcess {
  /** False once it has died or been asked to leave: the next command starts a new one. */
  alive(): boolean;
  send(id: number, request: SpawnRequest): void;
  /** While commands run, the spawner keeps this process alive to hear their ends; idle, it does not. */
  hold(busy: boolean): void;
  /** Asks it to leave; resolves once it has. */
  close(): Promise<void>;
}

/** Why a process may fail to start now and start a moment later: no descriptor, no process, no memory. */
const transientCodes = new Set(['EMFILE', 'ENFILE', 'EAGAIN', 'ENOMEM']);

export const isTransientSpawnError = (error: unknown): boolean =>
  transientCodes.has(String((error as NodeJS.ErrnoException | undefined)?.code));

/** A command that could not start, as Node's own spawn says it (`spawn nonexistent ENOENT`). */
export const spawnErrorOf = (program: string, error: unknown): string =>
  `spawn ${program} ${(error as NodeJS.ErrnoException).code ?? (error as Error).message ?? String(error)}`;
