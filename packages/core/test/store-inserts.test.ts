import { describe, expect, it } from 'vitest';
import type { AdapterDescriptor, Core, MigrationDatabase } from '../src/index.js';
import { useCore, useTempDir } from './helpers.js';

const newCore = useCore(useTempDir('botgate-inserts-'));

const numbered: AdapterDescriptor = {
  name: 'numbered',
  migrationTable: 'numbered_migrations',
  commands: [],
  openApi: () => ({}),
  migrations: {
    '0001-rows': {
      up: async (knex: MigrationDatabase) => {
        await knex.schema.createTable('numbered_rows', (t) => {
          t.integer('job_id').notNullable().unique();
          t.string('name', 50).notNullable();
          t.integer('n').notNullable().unique();
        });
      },
      down: async () => undefined,
    },
  },
};

/** Queues an `echo` job whose record is a row of `numbered_rows` numbered `n`. */
const enqueueNumbered = (core: Core, n: number) =>
  core.jobs.enqueueRecorded({
    automationId: 'echo',
    adapter: 'numbered',
    record: async (tx, job) => {
      tx.insert('numbered_rows', { job_id: job.id, name: `row ${n}`, n });
      return n;
    },
    recordOf: async () => undefined,
  });

describe('rows an adapter inserts with its transaction (StoreTransaction.insert)', () => {
  it('are written with the job they belong to, each with its own job, when jobs share a commit', async () => {
    const core = await newCore({ adapters: [numbered] });
    const enqueue = (n: number) => enqueueNumbered(core, n);
    // Started in one turn of the event loop: one group commit.
    const results = await Promise.all([1, 2, 3, 4, 5].map(enqueue));
    const rows = await core
      .store('numbered')
      .query<{ job_id: number; n: number }>('SELECT job_id, n FROM numbered_rows ORDER BY n');
    expect(rows.map((r) => [Number(r.job_id), Number(r.n)])).toEqual(
      results.map(({ job, record }) => [job.id, record]),
    );
  });

  it('fail only the job whose row breaks a constraint, and leave no job of it behind', async () => {
    const core = await newCore({ adapters: [numbered] });
    const enqueue = (n: number) => enqueueNumbered(core, n);
    await enqueue(7);
    const before = (await core.jobs.counts()).queued;
    const outcomes = await Promise.allSettled([enqueue(8), enqueue(7), enqueue(9)]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((await core.jobs.counts()).queued).toBe(before + 2);
    const rows = await core.store('numbered').query<{ n: number }>('SELECT n FROM numbered_rows ORDER BY n');
    expect(rows.map((r) => Number(r.n))).toEqual([7, 8, 9]);
  });

  it('store a string with a lone surrogate as the driver sends it, with U+FFFD for it', async () => {
    const core = await newCore({ adapters: [numbered] });
    const { job } = await core.jobs.enqueueRecorded({
      automationId: 'echo',
      adapter: 'numbered',
      record: async (tx, created) => {
        tx.insert('numbered_rows', { job_id: created.id, name: 'half \ud800 a pair', n: 1 });
        return 1;
      },
      recordOf: async () => undefined,
    });
    const [row] = await core
      .store('numbered')
      .query<{ name: string }>('SELECT name FROM numbered_rows WHERE job_id = ?', [job.id]);
    // pg sends one U+FFFD; better-sqlite3 stores the surrogate's three bytes, read back as three.
    expect(row?.name).toMatch(/^half \ufffd+ a pair$/);
  });

  it('refuses a table that is not the adapter’s own', async () => {
    const core = await newCore({ adapters: [numbered] });
    await expect(core.store('numbered').transaction(async (tx) => tx.insert('jobs', { id: 1 }))).rejects.toMatchObject({
      code: 'INVALID_CONFIG',
    });
  });
});
