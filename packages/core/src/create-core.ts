import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createCatalog } from './catalog/create-catalog.js';
import { createJobFinisher } from './queue/finish-job.js';
import { createDispatcher, type StartOptions } from './concurrency/create-dispatcher.js';
import { createNodeId, isDeadLocalNode } from './concurrency/node-id.js';
import type { CoreOptions, ResolvedCoreOptions } from './config.js';
import type { Core } from './core.js';
import { createExecutor } from './jobs/create-executor.js';
import { createJobService, type RecordedEnqueueRequest } from './jobs/create-job-service.js';
import { createJobEvents } from './jobs/job-events.js';
import { retryDelay } from './jobs/retry-delay.js';
import { createRunningJobs } from './concurrency/running-jobs.js';
import { createNodeRegistry } from './queue/node-registry.js';
import { createConcurrencySlots } from './concurrency/concurrency-slots.js';
import { createAdapterStore, type JoinableStore } from './store/adapter-store.js';
import { silentLogger } from './logger.js';
import { createChangeStamps } from './queue/change-stamps.js';
import { createDatabase, type Database, type Transaction } from './queue/database.js';
import { deleteFinishedJobs, getJob } from './queue/job-queries.js';
import { migrateAll } from './queue/migrate.js';
import { checkReadiness } from './queue/readiness.js';
import { closeReader } from './queue/sqlite-reader.js';
import { createStorageHealth } from './queue/storage-health.js';
import type { JobFinisher } from './queue/finish-job.js';
import { recoverJobs } from './queue/recover-jobs.js';
import { createCommandRunner } from './runners/command-runner.js';
import { killLeftovers, killOrphans } from './runners/kill-leftovers.js';
import { createModuleRunner } from './runners/module-runner.js';
import * as variables from './variables/index.js';
import { defaultJsonDepth } from './variables/json-depth.js';

const resolveOptions = (options: CoreOptions): ResolvedCoreOptions => {
  const dataDir = resolve(options.dataDir);
  const concurrency = options.concurrency ?? 8;
  return {
    dataDir,
    database: options.database ?? { client: 'sqlite', filename: join(dataDir, 'botgate.sqlite') },
    catalogDir: resolve(options.catalogDir),
    commandEnv: options.commandEnv,
    concurrency,
    idempotencyWindowMs: options.idempotencyWindowMs ?? 86_400_000,
    leaseMs: options.leaseMs ?? 20_000,
    pollMs: options.pollMs ?? 1000,
    retryDelayMs: options.retryDelayMs ?? 1000,
    retryDelayMaxMs: options.retryDelayMaxMs ?? 300_000,
    retentionMs: options.retentionMs ?? 604_800_000,
    logLimit: options.logLimit ?? 65_536,
    jsonDepth: options.jsonDepth ?? defaultJsonDepth,
    killGraceMs: options.killGraceMs ?? 5000,
    commandSpawner: options.commandSpawner ?? 'auto',
    moduleThreads: options.moduleThreads ?? 2,
    logger: options.logger ?? silentLogger,
    adapters: options.adapters ?? [],
  };
};

const databases = new WeakMap<Core, Database>();

/** Core's own knex handle, for core's tests and benchmarks only: adapters get `core.store(name)`. */
export const databaseOf = (core: Core): Database => databases.get(core) as Database;

/**
 * Opens the database (migrating it), loads the catalog and returns botgate's core. Nothing runs
 * until `worker.start()`: CLI commands use the same core without taking jobs.
 */
export const createCore = async (input: CoreOptions): Promise<Core> => {
  const options = resolveOptions(input);
  const { logger } = options;
  const db = createDatabase(options.database, logger);
  const nodeId = createNodeId();
  let accepting = true;
  let workerStarted = false;
  const maintenanceTimers: NodeJS.Timeout[] = [];
  try {
    await migrateAll(db, options.adapters);
    const catalog = await createCatalog(db, options.catalogDir);
    const runners = {
      module: createModuleRunner({
        minThreads: Math.min(options.moduleThreads, options.concurrency),
        maxThreads: options.concurrency,
        logLimit: options.logLimit,
      }),
      command: createCommandRunner({
        logLimit: options.logLimit,
        killGraceMs: options.killGraceMs,
        env: options.commandEnv,
        nodeId,
        spawner: options.commandSpawner,
        onNativeSpawnerUnusable: (file) =>
          logger.warn({ file }, 'the native spawner cannot run here; commands start through spawner.mjs'),
      }),
    };
    const storage = createStorageHealth(db, options.dataDir, nodeId, logger);
    const stamps = createChangeStamps(db, logger);
    const registry = createRunningJobs({ db, nodeId, leaseMs: options.leaseMs, pollMs: options.pollMs, logger });
    const events = createJobEvents();
    const stores = new Map<string, JoinableStore>();
    const storeOf = (adapter: string): JoinableStore => {
      let store = stores.get(adapter);
      if (!store) stores.set(adapter, (store = createAdapterStore(db, adapter)));
      return store;
    };
    const slots = createConcurrencySlots(db, nodeId, options.leaseMs);
    const nodes = createNodeRegistry(db, nodeId, options.leaseMs, logger);
    const jobs = createJobService({
      db,
      catalog,
      dataDir: options.dataDir,
      jsonDepth: options.jsonDepth,
      idempotencyWindowMs: options.idempotencyWindowMs,
      pollMs: options.pollMs,
      events,
      isAccepting: () => accepting,
      abortLocal: (id) => registry.abort(id, 'canceled'),
      storeOf,
    });
    const written = createJobFinisher(db);
    // Every job end goes through the storage guard: a failed write makes this node unready.
    const finish: JobFinisher = {
      written: (f) => storage.guard(() => written.written(f)),
      flushed: () => storage.guard(() => written.flushed()),
    };
    const dispatcher = createDispatcher({
      db,
      nodeId,
      finish,
      registry,
      retryDelay: (automation, attempt) =>
        retryDelay(attempt, {
          baseMs: automation.retryDelayMs ?? options.retryDelayMs,
          maxMs: options.retryDelayMaxMs,
        }),
      findAutomation: catalog.find,
      automationIds: () => catalog.list().map((a) => a.id),
      runners,
      concurrency: options.concurrency,
      leaseMs: options.leaseMs,
      pollMs: options.pollMs,
      logger,
      onFinished: events.finished,
    });

    written.claimAlong(dispatcher.claimAlong);
    events.onEnqueued(() => dispatcher.wake());

    const executor = createExecutor({
      db,
      catalog,
      nodeId,
      dataDir: options.dataDir,
      leaseMs: options.leaseMs,
      runners,
      registry,
      finish,
      isAccepting: () => accepting,
      notifyFinished: events.finished,
    });

    /** Running jobs whose node died go back to the queue or fail `interrupted`; their leftover processes are killed. */
    const recover = async ({ orphans = false } = {}): Promise<void> => {
      // A read of every process's environment: at start, not at every maintenance pass.
      if (orphans) {
        for (const pid of killOrphans(join(options.dataDir, 'jobs'), (owner) => isDeadLocalNode(owner, nodeId))) {
          logger.warn({ pid }, 'killed a job process left by a node of this data folder that is gone');
        }
      }
      const recovered = await recoverJobs(
        db,
        (owner) => isDeadLocalNode(owner, nodeId),
        (jobId) => registry.has(jobId),
      );
      for (const job of recovered) {
        if (isDeadLocalNode(job.leaseOwner, nodeId)) killLeftovers(job.workDir);
        logger.warn({ jobId: job.id, owner: job.leaseOwner, state: job.state }, 'recovered a job whose node is gone');
        // Its node cannot tell of its end any more: this one does.
        if (job.state === 'failed') {
          const ended = await getJob(db, job.id);
          if (ended) events.finished(ended);
        }
      }
      if (recovered.some((job) => job.state === 'queued')) dispatcher.wake();
    };

    const adapterRows = options.adapters.flatMap((adapter) => {
      const { removeJobRows } = adapter;
      if (!removeJobRows) return [];
      const store = storeOf(adapter.name);
      return [(tx: Transaction, ids: readonly number[]) => removeJobRows.call(adapter, store.joined(tx), ids)];
    });
    const removeExpired = async (): Promise<void> => {
      const { folders, removed } = await deleteFinishedJobs(db, Date.now() - options.retentionMs, adapterRows);
      // Jobs' folders are absolute; adapters' are relative to the data folder.
      await Promise.all(
        folders.map((folder) => rm(resolve(options.dataDir, folder), { recursive: true, force: true })),
      );
      if (folders.length > 0) logger.info({ removed, folders: folders.length }, 'removed expired jobs');
    };

    const maintain = () =>
      Promise.all([recover(), removeExpired(), dispatcher.failOrphans()]).catch((error: unknown) =>
        logger.error({ err: error }, 'maintenance failed'),
      );

    const core: Core = {
      options,
      nodeId,
      catalog,
      jobs: {
        ...jobs,
        enqueue: (request: Parameters<typeof jobs.enqueue>[0]) => storage.guard(() => jobs.enqueue(request)),
        enqueueRecorded: <Record>(request: RecordedEnqueueRequest<Record>) =>
          storage.guard(() => jobs.enqueueRecorded(request)),
        rerun: (id: number, adapter: string) => storage.guard(() => jobs.rerun(id, adapter)),
        cancel: (id: number) => storage.guard(() => jobs.cancel(id)),
        execute: (request: Parameters<typeof executor.execute>[0]) => storage.guard(() => executor.execute(request)),
      },
      /** Whether this node can write; adapters report the storage failures they meet at their edge (uploads). */
      storage,
      variables,
      /** Change stamps: caches of adapters' records that every node invalidates on the next call after a change. */
      stamps,
      store: storeOf,
      slots,
      nodes: { alive: nodes.alive },
      /** Whether this node can serve (the server's `/readyz`). */
      readiness: () => checkReadiness(db, options.adapters, storage),
      /**
       * Kills what a crashed node of this data folder left running and recovers the jobs whose
       * node is gone, at once (the server does this before it listens, worker or not).
       */
      recover: () => recover({ orphans: true }),
      worker: {
        async start(startOptions: StartOptions = {}): Promise<void> {
          workerStarted = true;
          await recover({ orphans: true });
          if (!startOptions.onlyJobIds) {
            await nodes.join();
            maintenanceTimers.push(
              setInterval(() => void maintain(), Math.max(options.pollMs, Math.floor(options.leaseMs / 2))),
            );
            void removeExpired().catch((error: unknown) =>
              logger.error({ err: error }, 'removing expired jobs failed'),
            );
          }
          dispatcher.start(startOptions);
          // A worker warms the module threads once it is up, off the path to its first answer.
          if (catalog.list().some((a) => a.run.kind === 'module' && a.run.isolation !== 'none'))
            setImmediate(() => runners.module.warm());
        },
        /** Jobs this node runs now, queued and real-time. */
        get running(): number {
          return registry.size;
        },
      },
      /** Takes no new jobs, lets running ones finish for `graceMs`, requeues the rest and closes. */
      async close({ graceMs = 30_000 }: { graceMs?: number } = {}): Promise<void> {
        accepting = false;
        maintenanceTimers.forEach(clearInterval);
        // First: a CLI that queues from now on is told no worker will take its job here.
        await nodes.leave().catch((error: unknown) => logger.warn({ err: error }, 'leaving the nodes failed'));
        if (workerStarted) await dispatcher.stop();
        await registry.drain(graceMs);
        await Promise.all([runners.module.close(), runners.command.close(), stamps.close()]);
        slots.close();
        closeReader(db);
        await db.destroy();
      },
    };
    databases.set(core, db);
    return core;
  } catch (error) {
    closeReader(db);
    await db.destroy();
    throw error;
  }
};
