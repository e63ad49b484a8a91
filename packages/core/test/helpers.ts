import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { createTestDatabase, useTestRoot, type TestDatabase } from '@botgate/testing';
import { createCore, type Core, type CoreOptions } from '../src/index.js';

export const fixtureCatalog = new URL('./fixtures/catalog', import.meta.url).pathname;

/** Fresh folders for this test file's cores, all under one root kept when a test failed. */
export const useTempDir = (prefix = 'botgate-core-'): (() => string) => {
  const { root } = useTestRoot(prefix);
  let made = 0;
  return () => {
    const dir = join(root, `d${++made}`);
    mkdirSync(dir);
    return dir;
  };
};

/**
 * Opens a core on a fresh data folder and a fresh database (SQLite there, or a new PostgreSQL
 * database when BOTGATE_TEST_DATABASE_URL is set), closing both after the file's tests, so no
 * worker outlives them.
 */
export const useCore = (newDir: () => string) => {
  const opened: Array<{ core: Core; database: TestDatabase }> = [];
  afterAll(async () => {
    for (const { core, database } of opened) {
      await core.close({ graceMs: 0 });
      await database.drop();
    }
  });
  return async (options: Partial<CoreOptions> = {}): Promise<Core> => {
    const database = await createTestDatabase();
    const core = await createCore({
      dataDir: newDir(),
      catalogDir: fixtureCatalog,
      commandEnv: process.env,
      pollMs: 100,
      ...(database.config ? { database: database.config } : {}),
      ...options,
    });
    opened.push({ core, database });
    return core;
  };
};

/** Migrates `database` the way a core's start does, for tests that work below the core. */
export const migrateDatabase = async (database: TestDatabase, dataDir: string): Promise<void> => {
  const core = await createCore({ dataDir, catalogDir: fixtureCatalog, commandEnv: {}, database: database.config });
  await core.close({ graceMs: 0 });
};

/** A fresh database for a test that opens cores itself; dropped after the file's tests. */
export const useDatabase = () => {
  const made: TestDatabase[] = [];
  afterAll(async () => {
    for (const database of made) await database.drop();
  });
  return async (): Promise<TestDatabase> => {
    const database = await createTestDatabase();
    made.push(database);
    return database;
  };
};
