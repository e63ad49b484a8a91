import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { startAdapter } from '@botgate/conformance';
import type { Core, Job } from '@botgate/core';
import { useTestRoot, waitFor } from '@botgate/testing';
import express from 'express';
import { createProcessApiCommands, processApi } from '../src/index.js';

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

/**
 * The adapter alone in a bare express app over a real core on a fresh database, its webhooks
 * sent (the conformance kit's `startAdapter`).
 */
export const startProcessApi = async (
  options: { workspaceId?: string; bodyLimit?: number; publicUrl?: string; webhookRetryMs?: number } = {},
): Promise<Harness> => {
  const { webhookRetryMs, ...settings } = options;
  const started = await startAdapter(processApi, {
    settings: { webhookRetry: `${webhookRetryMs ?? 300}ms`, ...settings },
    catalogDir: examples,
    dataDir: join(root, `data-${++made}`),
  });
  cleanups.push(async () => {
    await started.close();
    await started.database.drop();
  });
  const { core, url } = started;
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
