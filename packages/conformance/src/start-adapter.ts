import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createCore, type Core, type CoreOptions, type DatabaseConfig } from '@botgate/core';
import { dispatchByPath, type AdapterRuntime, type AnyAdapterModule, type SharedSettings } from '@botgate/http';
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
}

export interface StartedAdapter {
  core: Core;
  url: string;
  dataDir: string;
  database: TestDatabase;
  runtime: AdapterRuntime;
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

/** An adapter's runtime as the server starts it, alone: no other adapter lends it users, no metrics count its deliveries. */
export const startAlone = (adapter: AnyAdapterModule, core: Core, settings: unknown, shared: SharedSettings) =>
  adapter.start({
    core,
    settings,
    shared,
    logger: core.options.logger,
    onDeliveryAttempt: () => {},
    directory: () => undefined,
  });

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
  const settings: unknown = adapter.settings.parse(options.settings ?? {});
  const shared = { ...sharedSettingsFor(options.dataDir, pollMs), ...options.shared };
  const core = await createCore({
    commandEnv: process.env,
    ...options.core,
    pollMs,
    dataDir: options.dataDir,
    catalogDir: options.catalogDir,
    database: databaseConfigOf(database, options.dataDir),
    adapters: [adapter.describe(settings, shared)],
  });
  const untrackCore = track(`core of ${adapter.name}`);
  if (options.worker ?? true) await core.worker.start();
  const runtime = startAlone(adapter, core, settings, shared);
  runtime.services?.start();
  const app = express();
  // As the server mounts it: only the requests under the paths it declares reach its router.
  app.use(dispatchByPath([runtime]));
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
    close: () =>
      (closed ??= (async () => {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        untrackServer();
        await runtime.services?.stop();
        await core.close({ graceMs: 0 });
        untrackCore();
      })()),
  };
};
