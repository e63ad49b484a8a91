import { join } from 'node:path';
import type { Knex } from 'knex';
import { describe, expect, it } from 'vitest';
import { databaseOf } from '../src/create-core.js';
import type { TestDatabase } from '@botgate/testing';
import { BotgateError, createCore, type AdapterDescriptor, type Core, type CoreOptions } from '../src/index.js';
import { fixtureCatalog, useDatabase, useTempDir } from './helpers.js';

const newDir = useTempDir('botgate-migrations-');
const newDatabase = useDatabase();

/** Adapters of the test's own, each with its bookkeeping table: the race was in creating those. */
const adapterNamed = (name: string): AdapterDescriptor => ({
  name,
  migrations: {
    [`0001-${name}-things`]: {
      up: async (knex: Knex) => knex.schema.createTable(`${name}_things`, (t) => t.increments('id')),
      down: async (knex: Knex) => knex.schema.dropTable(`${name}_things`),
    },
  },
  migrationTable: `${name}_migrations`,
  commands: [],
  openApi: () => ({}),
});
const adapters = [adapterNamed('alpha'), adapterNamed('beta'), adapterNamed('gamma')];

/**
 * Options for a core on `database`: SQLite goes in a folder every core of the test shares.
 * PostgreSQL gets a pool of one, the smallest allowed: the migrator needs that connection, so
 * waiting for the lock must not hold it.
 */
const optionsOn = (database: TestDatabase['config'], sharedDir: string): CoreOptions => ({
  dataDir: newDir(),
  catalogDir: fixtureCatalog,
  commandEnv: {},
  adapters,
  database: database ? { ...database, poolSize: 1 } : { client: 'sqlite', filename: join(sharedDir, 'botgate.sqlite') },
});

const closeAll = (cores: Core[]) => Promise.all(cores.map((core) => core.close({ graceMs: 0 })));

describe('migrations', () => {
  it('lets cores created at the same moment on a fresh database all start, five at a time, five times over', async () => {
    for (let round = 0; round < 5; round++) {
      const database = await newDatabase();
      const sharedDir = newDir();
      const results = await Promise.allSettled(
        Array.from({ length: 5 }, () => createCore(optionsOn(database.config, sharedDir))),
      );
      const cores = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
      try {
        expect(results.flatMap((result) => (result.status === 'rejected' ? [String(result.reason)] : []))).toEqual([]);
        for (const core of cores) expect(await core.readiness()).toMatchObject({ ready: true, pendingMigrations: [] });
        // Each migration ran once, by whichever core came first.
        const names = await databaseOf(cores[0] as Core)('botgate_migrations').pluck('name');
        expect(names.length).toBe(new Set(names).size);
        expect(await databaseOf(cores[0] as Core)('beta_migrations').pluck('name')).toEqual(['0001-beta-things']);
      } finally {
        await closeAll(cores);
      }
    }
  });

  it('refuses to start on a database migrated by a newer botgate, naming the migrations it does not know', async () => {
    const database = await newDatabase();
    const sharedDir = newDir();
    const first = await createCore(optionsOn(database.config, sharedDir));
    await databaseOf(first)('botgate_migrations').insert({
      name: '0099-from-the-future',
      batch: 99,
      migration_time: new Date(),
    });
    await databaseOf(first)('beta_migrations').insert({
      name: '0042-beta-later',
      batch: 99,
      migration_time: new Date(),
    });
    // A node still running when a newer one migrated: unready, saying why, not an error.
    expect(await first.readiness()).toMatchObject({
      ready: false,
      database: expect.stringMatching(
        /^migrated by a newer botgate \(botgate_migrations: 0099-from-the-future, beta_migrations: 0042-beta-later\)/,
      ),
    });
    await first.close({ graceMs: 0 });

    const refusal = await createCore(optionsOn(database.config, sharedDir)).then(
      (core) => core.close({ graceMs: 0 }).then(() => undefined),
      (error: unknown) => error,
    );
    expect(refusal).toBeInstanceOf(BotgateError);
    expect(refusal).toMatchObject({
      code: 'DATABASE_NEWER',
      details: { unknownMigrations: ['botgate_migrations: 0099-from-the-future', 'beta_migrations: 0042-beta-later'] },
    });
    expect((refusal as Error).message).toMatch(/newer botgate/);
    expect((refusal as Error).message).toContain('0099-from-the-future');
    expect((refusal as Error).message).toContain('0042-beta-later');
  });
});
