import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createCore, type Core, type Job } from '@botgate/core';
import { createTestDatabase, useTestRoot, waitFor } from '@botgate/testing';
import express from 'express';
import { createLocalApiRouter, localApiDescriptor, type LocalApiOptions } from '../src/index.js';

export const examples = new URL('../../../examples', import.meta.url).pathname;

export interface Harness {
  core: Core;
  url: string;
  dataDir: string;
  uuidOf: (automationId: string) => Promise<string>;
  close: () => Promise<void>;
}

const { root, cleanups } = useTestRoot('botgate-local-api-');
let made = 0;

/**
 * The router alone, in a bare express app on a free port, over a real core on a fresh SQLite
 * file: what a user embedding the adapter as a library gets.
 */
export const startLocalApi = async (options: LocalApiOptions = {}, catalogDir = examples): Promise<Harness> => {
  const dataDir = join(root, `data-${++made}`);
  const database = await createTestDatabase();
  const core = await createCore({
    dataDir,
    catalogDir,
    commandEnv: process.env,
    pollMs: 100,
    ...(database.config ? { database: database.config } : {}),
    adapters: [localApiDescriptor],
  });
  await core.worker.start();
  const app = express();
  app.use(createLocalApiRouter(core, options));
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const uuids = new Map<string, string>();
  const harness: Harness = {
    core,
    dataDir,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async uuidOf(automationId) {
      let uuid = uuids.get(automationId);
      if (!uuid) {
        const [add] = localApiDescriptor.commands.filter((c) => c.path[0] === 'add');
        uuid = ((await add?.run(core, [automationId], {})) as { uuid: string }).uuid;
        uuids.set(automationId, uuid);
      }
      return uuid;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await core.close({ graceMs: 0 });
    },
  };
  cleanups.push(async () => {
    await harness.close();
    await database.drop();
  });
  return harness;
};

export { waitFor };

export const waitForFinal = (core: Core, id: number): Promise<Job> => core.jobs.wait(id, { timeoutMs: 20_000 });

/** A multipart body written by hand, for what fetch's FormData will not send (odd names, cut-off bodies). */
export const multipart = (
  boundary: string,
  parts: Array<{ name: string; filename?: string; content: string | Buffer }>,
  { end = true } = {},
): Buffer =>
  // A file name starting with `*=` is sent in RFC 5987 form (filename*=utf-8''…), which can carry any byte.
  Buffer.concat([
    ...parts.flatMap((part) => [
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"${part.filename === undefined ? '' : part.filename.startsWith('*=') ? `; filename*=utf-8''${part.filename.slice(2)}` : `; filename="${part.filename}"`}\r\n${part.filename === undefined ? '' : 'Content-Type: application/octet-stream\r\n'}\r\n`,
      ),
      Buffer.isBuffer(part.content) ? part.content : Buffer.from(part.content),
      Buffer.from('\r\n'),
    ]),
    Buffer.from(end ? `--${boundary}--\r\n` : ''),
  ]);
