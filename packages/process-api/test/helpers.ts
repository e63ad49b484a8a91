import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createCore, type Core, type Job } from '@botgate/core';
import { createTestDatabase, useTestRoot, waitFor } from '@botgate/testing';
import express from 'express';
import {
  createProcessApiCommands,
  createProcessApiRouter,
  createWebhookDispatcher,
  processApiMigrations,
  processApiOpenApi,
  type ProcessApiOptions,
} from '../src/index.js';

export const examples = new URL('../../../examples', import.meta.url).pathname;

const { root, cleanups } = useTestRoot('botgate-process-api-');
let made = 0;

export const listen = async (app: express.Express): Promise<{ url: string; server: Server }> => {
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  cleanups.unshift(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
};

export interface Harness {
  core: Core;
  url: string;
  workspaceId: string;
  /** Runs one of the adapter's CLI commands, as `botgate process-api …` would. */
  command: <T>(path: string, args?: string[], options?: Record<string, string>) => Promise<T>;
  processId: (automationId: string) => Promise<string>;
}

/** The router alone in a bare express app over a real core on a fresh SQLite file. */
export const startProcessApi = async (
  options: ProcessApiOptions & { webhookRetryMs?: number } = {},
): Promise<Harness> => {
  const dataDir = join(root, `data-${++made}`);
  const database = await createTestDatabase();
  const core = await createCore({
    dataDir,
    catalogDir: examples,
    commandEnv: process.env,
    pollMs: 100,
    ...(database.config ? { database: database.config } : {}),
    adapters: [
      {
        name: 'process-api',
        migrations: processApiMigrations,
        migrationTable: 'process_api_migrations',
        commands: [],
        openApi: processApiOpenApi,
      },
    ],
  });
  await core.worker.start();
  const webhooks = createWebhookDispatcher(core, {
    pollMs: 100,
    retryBaseMs: options.webhookRetryMs ?? 300,
    workspaceId: options.workspaceId,
  });
  webhooks.start();
  const app = express();
  app.use(createProcessApiRouter(core, options));
  const { url } = await listen(app);
  cleanups.push(async () => {
    await webhooks.stop();
    await core.close({ graceMs: 0 });
    await database.drop();
  });
  const commands = createProcessApiCommands({ baseUrl: url, workspaceId: options.workspaceId });
  const command = async <T>(path: string, args: string[] = [], opts: Record<string, string> = {}): Promise<T> => {
    const found = commands.find((c) => c.path.join(' ') === path);
    if (!found) throw new Error(`no command ${path}`);
    return (await found.run(core, args, opts)) as T;
  };
  const listed = await command<{ workspaceId: string; processes: Array<{ automationId: string; processId: string }> }>(
    'list',
  );
  return {
    core,
    url,
    workspaceId: listed.workspaceId,
    command,
    processId: async (automationId) =>
      listed.processes.find((p) => p.automationId === automationId)?.processId as string,
  };
};

export { waitFor };

export const waitForFinal = (core: Core, id: number): Promise<Job> => core.jobs.wait(id, { timeoutMs: 20_000 });

export const json = async (response: Response) => ({
  status: response.status,
  body: (await response.json()) as Record<string, unknown>,
});
