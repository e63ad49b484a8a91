import { describe, expect, it } from 'vitest';
import { waitFor } from '@botgate/testing';
import { createCore, silentLogger, type Automation, type Job } from '../src/index.js';
import { createDispatcher } from '../src/concurrency/create-dispatcher.js';
import { createRunningJobs } from '../src/concurrency/running-jobs.js';
import { createDatabase } from '../src/queue/database.js';
import { createJobFinisher, type JobFinisher } from '../src/queue/finish-job.js';
import type { Runner } from '../src/runners/runner.js';
import { fixtureCatalog, useDatabase, useTempDir } from './helpers.js';

const newDir = useTempDir('botgate-slot-at-end-');
const newDatabase = useDatabase();

/**
 * A job holds its slot until its end is written, not until the disk has flushed it: on SQLite
 * each end waited for an fsync before the next job could start, and at 2,200 jobs/s the queued
 * jobs of a node with 16 slots waited 20–30 ms whenever a flush was slow. Who hears of the end
 * (a waiting caller, a webhook) still hears only once it is on disk.
 */
describe('a job slot', () => {
  it('is free for the next job once the end is written, while those who hear of the end wait for the flush', async () => {
    const database = await newDatabase();
    const dataDir = newDir();
    const core = await createCore({ dataDir, catalogDir: fixtureCatalog, commandEnv: {}, database: database.config });
    const { job: first } = await core.jobs.enqueue({ automationId: 'echo', adapter: 'test', plainInputs: {} });
    const { job: second } = await core.jobs.enqueue({ automationId: 'echo', adapter: 'test', plainInputs: {} });
    const automation: Automation = { ...core.catalog.get('echo'), concurrency: 1 };
    await core.close({ graceMs: 0 });

    const db = createDatabase(
      database.config ?? { client: 'sqlite', filename: `${dataDir}/botgate.sqlite`, synchronous: 'full' },
    );
    const real = createJobFinisher(db);
    let openFlush!: () => void;
    const flushGate = new Promise<void>((resolve) => (openFlush = resolve));
    // The disk flush held back: ends are written at once, and flushed when the test says.
    const finish: JobFinisher = {
      written: real.written,
      flushed: async () => {
        await flushGate;
        await real.flushed();
      },
    };
    const succeed: Runner = {
      run: async () => ({
        status: 'succeeded',
        outputs: {},
        outputFiles: [],
        outputWorkItems: [],
        exitCode: null,
        error: null,
        errorCode: null,
        log: '',
      }),
      close: async () => {},
    };
    const heard: Job[] = [];
    const registry = createRunningJobs({ db, nodeId: 'node-a', leaseMs: 60_000, pollMs: 100, logger: silentLogger });
    const dispatcher = createDispatcher({
      db,
      nodeId: 'node-a',
      findAutomation: (id) => (id === 'echo' ? automation : undefined),
      automationIds: () => ['echo'],
      runners: { module: succeed, command: succeed },
      finish,
      retryDelay: () => 0,
      registry,
      concurrency: 1,
      leaseMs: 60_000,
      pollMs: 100,
      logger: silentLogger,
      onFinished: (job) => heard.push(job),
    });
    try {
      dispatcher.start();
      // Both run, one after the other, with neither end flushed yet.
      await waitFor('the second job to end', async () => {
        const row = await db('jobs').where({ id: second.id }).first('state');
        return row?.state === 'succeeded' || undefined;
      });
      expect((await db('jobs').where({ id: first.id }).first('state')).state).toBe('succeeded');
      expect(heard).toEqual([]);

      openFlush();
      await waitFor('both ends to be heard', async () => (heard.length === 2 ? true : undefined));
      expect(heard.map((job) => job.id).sort()).toEqual([first.id, second.id]);
    } finally {
      openFlush();
      await dispatcher.stop();
      await registry.drain(0);
      await db.destroy();
    }
  });
});
