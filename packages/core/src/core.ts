import type { Catalog } from './catalog/create-catalog.js';
import type { StartOptions } from './concurrency/create-dispatcher.js';
import type { CoreSettings } from './core-settings.js';
import type { ExecuteRequest, ExecutedJob } from './jobs/create-executor.js';
import type { JobService } from './jobs/create-job-service.js';
import type { ChangeStamps } from './queue/change-stamps.js';
import type { Readiness } from './queue/readiness.js';
import type { StorageHealth } from './queue/storage-health.js';
import type { ConcurrencySlots } from './concurrency/concurrency-slots.js';
import type { NodeRegistry } from './queue/node-registry.js';
import type { AdapterStore } from './store/adapter-store.js';
import type * as variables from './variables/index.js';

/** Core's jobs: the job service, with a run now, outside the queue, for callers that wait for its end. */
export interface CoreJobs extends JobService {
  /** Runs a job on this node and answers once its end is written (Automation Anywhere's real-time execute). */
  execute(request: ExecuteRequest): Promise<ExecutedJob>;
}

/** This node's worker: what takes queued jobs and runs them. */
export interface CoreWorker {
  /** Recovers what a crashed node left, then claims and runs queued jobs until `close()`. */
  start(options?: StartOptions): Promise<void>;
  /** Jobs this node runs now, queued and real-time. */
  readonly running: number;
}

/** botgate's core, as `createCore` answers it: what the server and its adapters use. It knows no HTTP. */
export interface Core {
  /** The settings core resolved (its defaults filled in); adapters read the data folder, JSON depth and lease. */
  readonly options: CoreSettings;
  /** This process's node id: the owner written on the jobs it runs. */
  readonly nodeId: string;
  readonly catalog: Catalog;
  readonly jobs: CoreJobs;
  /** Whether this node can write; adapters report the storage failures they meet at their edge (uploads). */
  readonly storage: StorageHealth;
  /** The typed variable system: validation and each encoding's conversions. */
  readonly variables: typeof variables;
  /** Change stamps: caches of adapters' records that every node invalidates on the next call after a change. */
  readonly stamps: ChangeStamps;
  /** An adapter's own tables (named `<adapter>_…`, `-` as `_`): the only database an adapter sees. */
  store(adapter: string): AdapterStore;
  /** Concurrency limits that hold on every node together (an allocation's `concurrencyLimit`). */
  readonly slots: Pick<ConcurrencySlots, 'enter'>;
  /** The nodes whose workers take queued jobs now (each announced by `worker.start()`, gone at `close()` or a lease after it died). */
  readonly nodes: Pick<NodeRegistry, 'alive'>;
  /** Whether this node can serve (the server's `/readyz`). */
  readiness(): Promise<Readiness>;
  /**
   * Kills what a crashed node of this data folder left running and recovers the jobs whose node is
   * gone, at once (the server does this before it listens, worker or not).
   */
  recover(): Promise<void>;
  readonly worker: CoreWorker;
  /** Takes no new jobs, lets running ones finish for `graceMs` (default 30 s), requeues the rest and closes. */
  close(options?: { graceMs?: number }): Promise<void>;
}
