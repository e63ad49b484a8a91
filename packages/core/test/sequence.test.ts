import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createCore,
  createSequence,
  type AdapterDescriptor,
  type Core,
  type DatabaseConfig,
  type MigrationDatabase,
} from '../src/index.js';
import { fixtureCatalog, useDatabase, useTempDir } from './helpers.js';

const newDir = useTempDir('botgate-sequence-');
const newDatabase = useDatabase();
const opened: Core[] = [];
afterAll(async () => {
  for (const core of opened) await core.close({ graceMs: 0 });
});

const counted: AdapterDescriptor = {
  name: 'counted',
  migrationTable: 'counted_migrations',
  commands: [],
  openApi: () => ({}),
  migrations: {
    '0001-rows': {
      up: async (knex: MigrationDatabase) => {
        await knex.schema.createTable('counted_rows', (t) => {
          t.integer('job_id').notNullable().unique();
          t.string('key', 50).notNullable();
          t.integer('n').notNullable();
          t.unique(['key', 'n']);
        });
        await knex.schema.createTable('counted_numbers', (t) => {
          t.string('sequence_key', 50).primary();
          t.integer('last_number').notNullable();
        });
      },
      down: async () => undefined,
    },
  },
};

const numbers = createSequence({
  table: 'counted_numbers',
  lastOf: 'SELECT coalesce(max(n), 0) FROM counted_rows WHERE key = ?',
});

/** Two nodes (cores with their own folders and connections) on one database. */
const twoNodes = async (): Promise<[Core, Core]> => {
  const database = await newDatabase();
  const first = newDir();
  const config: DatabaseConfig = database.config ?? { client: 'sqlite', filename: join(first, 'shared.sqlite') };
  const open = async (dataDir: string) => {
    const core = await createCore({
      dataDir,
      catalogDir: fixtureCatalog,
      commandEnv: {},
      database: config,
      adapters: [counted],
    });
    opened.push(core);
    return core;
  };
  return [await open(first), await open(newDir())];
};

/** Queues a job whose record is the next number of `key`; `fail` makes its row break a constraint. */
const enqueueCounted = async (core: Core, key: string, fail = false): Promise<number> => {
  const { record } = await core.jobs.enqueueRecorded({
    automationId: 'echo',
    adapter: 'counted',
    record: async (tx, job) => {
      const n = await numbers.next(tx, key);
      tx.insert('counted_rows', { job_id: job.id, key, n: fail ? null : n });
      return n;
    },
    recordOf: async () => undefined,
  });
  return record as number;
};

const stored = async (core: Core, key: string): Promise<number[]> =>
  (
    await core
      .store('counted')
      .query<{ n: number | string }>('SELECT n FROM counted_rows WHERE key = ? ORDER BY n', [key])
  ).map((row) => Number(row.n));

const oneTo = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);

describe('createSequence: numbers per key, handed out in the job’s transaction', () => {
  it('numbers a key 1, 2, 3… with no gap and no repeat while two nodes number it at once', async () => {
    const [a, b] = await twoNodes();
    // Each node's 40 triggers share group commits; the two nodes' commits interleave.
    const answered = await Promise.all([
      ...Array.from({ length: 40 }, () => enqueueCounted(a, 'k')),
      ...Array.from({ length: 40 }, () => enqueueCounted(b, 'k')),
      ...Array.from({ length: 5 }, () => enqueueCounted(b, 'other')),
    ]);
    expect([...answered.slice(0, 80)].sort((x, y) => x - y)).toEqual(oneTo(80));
    expect(await stored(a, 'k')).toEqual(oneTo(80));
    expect(await stored(b, 'other')).toEqual(oneTo(5));
  });

  it('gives no number to a job that was not queued: its batch’s others stay consecutive', async () => {
    const [a] = await twoNodes();
    const outcomes = await Promise.allSettled([
      enqueueCounted(a, 'k'),
      enqueueCounted(a, 'k', true),
      enqueueCounted(a, 'k'),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await stored(a, 'k')).toEqual([1, 2]);
    expect(await enqueueCounted(a, 'k')).toBe(3);
  });

  it('counts on from the rows numbered before the key had a counter, and never hands out a number twice once they are removed', async () => {
    const [a, b] = await twoNodes();
    // Rows numbered before the counter table existed (an upgraded database).
    const { job } = await a.jobs.enqueue({ automationId: 'echo', adapter: 'counted' });
    await a.store('counted').transaction(async (tx) => {
      tx.insert('counted_rows', { job_id: job.id, key: 'old', n: 41 });
    });
    expect(await enqueueCounted(a, 'old')).toBe(42);
    // Retention removes the rows; the numbers they had stay used, on every node.
    await a.store('counted').table('counted_rows').where({ key: 'old' }).delete();
    expect(await enqueueCounted(b, 'old')).toBe(43);
  });

  it('catches up with a number given without the counter (an older node during an upgrade)', async () => {
    const [a] = await twoNodes();
    expect(await enqueueCounted(a, 'k')).toBe(1);
    const { job } = await a.jobs.enqueue({ automationId: 'echo', adapter: 'counted' });
    await a.store('counted').transaction(async (tx) => {
      tx.insert('counted_rows', { job_id: job.id, key: 'k', n: 7 });
    });
    expect(await enqueueCounted(a, 'k')).toBe(8);
  });
});
