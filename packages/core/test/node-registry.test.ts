import { describe, expect, it } from 'vitest';
import { createCore } from '../src/index.js';
import { fixtureCatalog, useDatabase, useTempDir } from './helpers.js';

const newDir = useTempDir();
const newDatabase = useDatabase();

describe('core.nodes', () => {
  it('counts a node alive from its worker’s start to its close, and a worker for one job not at all', async () => {
    const database = await newDatabase();
    const dataDir = newDir();
    const open = () =>
      createCore({
        dataDir,
        catalogDir: fixtureCatalog,
        commandEnv: process.env,
        pollMs: 100,
        ...(database.config ? { database: database.config } : {}),
      });
    const server = await open();
    const cli = await open();
    try {
      expect(await cli.nodes.alive()).toEqual([]);
      await server.worker.start();
      expect((await cli.nodes.alive()).map((node) => [node.id, node.pid])).toEqual([[server.nodeId, process.pid]]);
      // `botgate run --wait` runs its one job here without offering to take others.
      await cli.worker.start({ onlyJobIds: [1] });
      expect((await cli.nodes.alive()).map((node) => node.id)).toEqual([server.nodeId]);
      await server.close({ graceMs: 0 });
      expect(await cli.nodes.alive()).toEqual([]);
    } finally {
      await server.close({ graceMs: 0 });
      await cli.close({ graceMs: 0 });
    }
  });
});
