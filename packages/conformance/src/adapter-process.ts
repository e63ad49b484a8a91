// A node of one adapter in a process of its own, so the conformance suite can kill it with
// SIGKILL: `node adapter-process.js '<json>'`, printing `listening <url>` once it serves.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createCore, type DatabaseConfig } from '@botgate/core';
import { dispatchByPath, type AnyAdapterModule } from '@botgate/http';
import express from 'express';
import { sharedSettingsFor, startAlone } from './start-adapter.js';

interface ProcessSpec {
  module: string;
  exportName: string;
  settings: Record<string, unknown>;
  dataDir: string;
  catalogDir: string;
  database: DatabaseConfig;
}

const spec = JSON.parse(process.argv[2] as string) as ProcessSpec;
const adapter = (await import(spec.module))[spec.exportName] as AnyAdapterModule;
const settings: unknown = adapter.settings.parse(spec.settings);
const shared = sharedSettingsFor(spec.dataDir, 100);
const core = await createCore({
  dataDir: spec.dataDir,
  catalogDir: spec.catalogDir,
  commandEnv: process.env,
  pollMs: 100,
  database: spec.database,
  adapters: [adapter.describe(settings, shared)],
});
// An API node: a job answered here waits in the queue, where a restart must find it.
const runtime = startAlone(adapter, core, settings, shared);
const app = express();
// As the server mounts it: only the requests under the paths it declares reach its router.
app.use(dispatchByPath([runtime]));
const server: Server = app.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
});
