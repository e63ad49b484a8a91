import type { Core } from './core.js';
import type { Migration } from './queue/migrations/index.js';
import type { StoreTransaction } from './store/adapter-store.js';
import type { RemovedJobRows } from './jobs/removed-job-rows.js';

/**
 * A CLI command an adapter contributes (`botgate local-api add …`), free of any CLI framework:
 * the server turns it into a command, prints `format(result)` or, with --json, the result itself.
 */
export interface AdapterCommand<Result = unknown> {
  /** Words after the adapter's name, e.g. `['add']` or `['key', 'add']`. */
  path: string[];
  /** Mounted at the top level (`botgate users add`) instead of under the adapter's name. @default false */
  root?: boolean;
  description: string;
  /** Positional arguments, in order. */
  args?: Array<{ name: string; description: string }>;
  /** `--name <value>` options. */
  options?: Array<{ name: string; description: string }>;
  run(core: Core, args: string[], options: Record<string, string | undefined>): Promise<Result>;
  format(result: Result): string;
}

/** What the server needs to know of an adapter besides its router. */
export interface AdapterDescriptor {
  /** Also the adapter name jobs record and the CLI word: `local-api`, `process-api`, `api-task`. */
  name: string;
  migrations: Record<string, Migration>;
  /** The adapter's own migration bookkeeping table. */
  migrationTable: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each command has its own result type
  commands: Array<AdapterCommand<any>>;
  /**
   * What the adapter keeps of a job, removed with it: deletes the adapter's rows of these jobs
   * inside core's retention transaction and answers how many rows it removed per table, and any
   * folders of its own that go with them (removed once the transaction has committed).
   * @default nothing (the adapter keeps no row per job)
   */
  removeJobRows?(tx: StoreTransaction, jobIds: readonly number[]): Promise<RemovedJobRows>;
  /** The OpenAPI 3.1 document of the adapter's routes, made from the table its router mounts. */
  openApi(): Record<string, unknown>;
}
