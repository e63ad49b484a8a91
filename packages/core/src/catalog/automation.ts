import type { InputDeclarations, VariableType } from '../variables/index.js';

export type RunSpec =
  /** In-process: the module's default export is called as `(inputs, ctx) => outputs`. */
  | { kind: 'module'; module: string; isolation: 'thread' | 'none' }
  /** A process started with cwd = the job's working folder. */
  | { kind: 'command'; command: string[] };

/** One automation of the catalog, as its manifest declares it, with paths made absolute. */
export interface Automation {
  /** The folder name; stable, used in every API. */
  id: string;
  name: string;
  description: string;
  dir: string;
  manifestPath: string;
  run: RunSpec;
  inputs: InputDeclarations;
  outputs: Record<string, VariableType>;
  /** Jobs of this automation running at once, across every node. */
  concurrency: number;
  timeoutMs: number;
  retries: number;
  /** The wait before the first retry, when the manifest sets one (else the server's `retryDelay`). */
  retryDelayMs: number | undefined;
  /** Automation Anywhere's numeric id, stable once assigned (kept in the database). */
  fileId: number;
  /** Automation Anywhere's repository path, `Bots\<id>` unless the manifest says otherwise. */
  repositoryPath: string;
}
