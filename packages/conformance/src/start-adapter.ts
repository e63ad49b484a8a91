import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createCore, type AdapterDescriptor, type Core, type CoreOptions, type DatabaseConfig } from '@botgate/core';
import {
  dispatchByPath,
  type AdapterRuntime,
  type AnyAdapterModule,
  type PathRouter,
  type SharedSettings,
} from '@botgate/http';
import { createTestDatabase, type TestDatabase } from '@botgate/testing';
import express from 'express';
import { track } from './leak-guard.js';

export interface StartAdapterOptions {
  /** The adapter's section of the configuration, as `botgate.yaml` would hold it; parsed by its schema. @default {} */
  settings?: Record<string, unknown>;
  catalogDir: string;
  /** A folder of this test file's root; a restart passes the same one. */
  dataDir: string;
  /** The database to use again (a restart); @default a new one (SQLite in the data folder, or PostgreSQL when the suite runs on it) */
  database?: TestDatabase;
  /** Core's settings for the test (short polls, retention). */
  core?: Partial<Omit<CoreOptions, 'dataDir' | 'catalogDir' | 'adapters' | 'database'>>;
  /** Run queued jobs. @default true */
  worker?: boolean;
  /** The server's settings the adapter reads (upload limits). @default 50 MiB a file, 200 MiB a request */
  shared?: Partial<SharedSettings>;
  /**
   * Adapters started beside it over the same core, as the server starts them (their default
   * settings): the one that keeps users lends them to the others (`AdapterContext.directory`).
   * @default none
   */
  alongside?: readonly AnyAdapterModule[];
  /** More routers mounted after the adapters' (the console over their panels). @default none */
  routers?(core: Core, runtimes: readonly AdapterRuntime[]): PathRouter[];
}

export interface StartedAdapter {
  core: Core;
  url: string;
  dataDir: string;
  database: TestDatabase;
  runtime: AdapterRuntime;
  /** Its runtime and those of the adapters started beside it, in that order. */
  runtimes: readonly AdapterRuntime[];
  /**
   * Runs one of the started adapters' CLI commands over the core, as `botgate <words…>` would
   * (`['local-api', 'add', 'echo']`, or a root command: `['users', 'add', 'ada']`); answers its result.
   */
  command<T = unknown>(words: readonly string[], options?: Record<string, string>): Promise<T>;
  /** Closes the server, the adapter's services and the core; the database stays for a restart (`drop` it after). */
  close(): Promise<void>;
}

export const sharedSettingsFor = (dataDir: string, pollMs: number): SharedSettings => ({
  host: '127.0.0.1',
  port: 0,
  dataDir,
  uploadLimit: 50 * 1024 * 1024,
  uploadTotalLimit: 200 * 1024 * 1024,
  pollMs,
  jwtSecret: undefined,
});

/** The database config core takes: SQLite in the data folder unless the suite runs on PostgreSQL. */
export const databaseConfigOf = (database: TestDatabase, dataDir: string): DatabaseConfig =>
  database.config ?? { client: 'sqlite', filename: join(dataDir, 'botgate.sqlite') };

/**
 * An adapter's runtime as the server starts it: users lent by whichever of `neighbours` keeps them
 * (none when it is alone), no metrics counting its deliveries.
 */
export const startAlone = (
  adapter: AnyAdapterModule,
  core: Core,
  settings: unknown,
  shared: SharedSettings,
  neighbours: readonly AdapterRuntime[] = [],
) =>
  adapter.start({
    core,
    settings,
    shared,
    logger: core.options.logger,
    onDeliveryAttempt: () => {},
    directory: () => neighbours.find((runtime) => runtime.directory)?.directory,
  });

/** The command `words` names among the descriptors' (each under its adapter's name, or at the root), and its positional arguments. */
const commandNamed = (descriptors: readonly AdapterDescriptor[], words: readonly string[]) => {
  for (const descriptor of descriptors)
    for (const command of descriptor.commands) {
      const path = command.root ? command.path : [descriptor.name, ...command.path];
      if (path.every((word, i) => words[i] === word)) return { command, args: words.slice(path.length) };
    }
  throw new Error(`no command "${words.join(' ')}" among ${descriptors.map((d) => d.name).join(', ')}`);
};

/**
 * An adapter as the server starts it (its module's `describe` and `start`), alone in a bare express
 * app on a free port, over a real core: what a user embedding the adapter gets, and what the
 * conformance suite calls. Every server, core and service it starts is tracked by the leak guard.
 */
export const startAdapter = async (
  adapter: AnyAdapterModule,
  options: StartAdapterOptions,
): Promise<StartedAdapter> => {
  const database = options.database ?? (await createTestDatabase());
  const pollMs = options.core?.pollMs ?? 100;
  const shared = { ...sharedSettingsFor(options.dataDir, pollMs), ...options.shared };
  const modules = [adapter, ...(options.alongside ?? [])];
  const settings: unknown[] = modules.map((module, i) =>
    module.settings.parse(i === 0 ? (options.settings ?? {}) : {}),
  );
  const descriptors = modules.map((module, i) => module.describe(settings[i], shared));
  const core = await createCore({
    commandEnv: process.env,
    ...options.core,
    pollMs,
    dataDir: options.dataDir,
    catalogDir: options.catalogDir,
    database: databaseConfigOf(database, options.dataDir),
    adapters: descriptors,
  });
  const untrackCore = track(`core of ${adapter.name}`);
  if (options.worker ?? true) await core.worker.start();
  const runtimes: AdapterRuntime[] = [];
  for (const [i, module] of modules.entries()) runtimes.push(startAlone(module, core, settings[i], shared, runtimes));
  const runtime = runtimes[0] as AdapterRuntime;
  for (const started of runtimes) started.services?.start();
  const app = express();
  // As the server mounts them: only the requests under the paths each declares reach its router.
  app.use(dispatchByPath([...runtimes, ...(options.routers?.(core, runtimes) ?? [])]));
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const untrackServer = track(`server of ${adapter.name}`);
  let closed: Promise<void> | undefined;
  return {
    core,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    dataDir: options.dataDir,
    database,
    runtime,
    runtimes,
    async command<T>(words: readonly string[], commandOptions: Record<string, string> = {}) {
      const { command, args } = commandNamed(descriptors, words);
      return (await command.run(core, args, commandOptions)) as T;
    },
    close: () =>
      (closed ??= (async () => {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        untrackServer();
        for (const started of runtimes) await started.services?.stop();
        await core.close({ graceMs: 0 });
        untrackCore();
      })()),
  };
};
