import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createDeliveryDispatcher,
  onJobsOf,
  type AdapterDescriptor,
  type Job,
  type MigrationDatabase,
} from '../src/index.js';
import { databaseOf } from '../src/create-core.js';
import { useCore, useTempDir } from './helpers.js';

const newCore = useCore(useTempDir('botgate-deliveries-'));
const stops: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const stop of stops) await stop();
});

// An adapter with the tables a dispatcher works on.
const deliveriesAdapter: AdapterDescriptor = {
  name: 'deliveries',
  migrationTable: 'deliveries_migrations',
  commands: [],
  openApi: () => ({}),
  migrations: {
    '0001-tables': {
      up: async (knex: MigrationDatabase) => {
        await knex.schema.createTable('deliveries_rows', (t) => {
          t.string('id').primary();
          t.text('url');
          t.text('body');
          t.string('state');
          t.integer('attempts');
          t.bigInteger('next_attempt_at');
          t.integer('last_status');
          t.text('last_error');
          t.bigInteger('delivered_at');
        });
        await knex.schema.createTable('deliveries_attempts', (t) => {
          t.string('delivery_id');
          t.integer('attempt');
          t.bigInteger('at');
          t.integer('status');
          t.text('error');
          t.integer('duration_ms');
        });
        await knex.schema.createTable('deliveries_marks', (t) => {
          t.string('name', 64).primary();
          t.bigInteger('at').notNullable();
        });
      },
      down: async () => undefined,
    },
  },
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// A job as a dispatcher hears of it ending; only its id matters here.
const endedJob = (id: number): Job => ({ id, adapter: 'deliveries', state: 'succeeded' }) as Job;

describe('delivery dispatcher', () => {
  it('looks for new events once for the job ends heard within its wake delay, not once per end', async () => {
    const core = await newCore({ adapters: [deliveriesAdapter] });
    let looks = 0;
    let wake: () => void = () => undefined;
    const dispatcher = createDeliveryDispatcher({
      store: core.store('deliveries'),
      tables: { deliveries: 'deliveries_rows', attempts: 'deliveries_attempts' },
      collect: async () => {
        looks += 1;
      },
      subscribe: (listener) => {
        wake = () => listener(endedJob(1));
        return () => undefined;
      },
      pollMs: 60_000,
      wakeDelayMs: 1000,
    });
    dispatcher.start();
    stops.push(() => dispatcher.stop());
    await expect.poll(() => looks).toBe(1);

    // Ten job ends a few milliseconds apart, each after the last look finished.
    for (let i = 0; i < 10; i++) {
      wake();
      await sleep(5);
    }
    await sleep(1300);
    expect(looks).toBe(2);
  });

  it('starts its look back an hour before the last whole look of any node began, not at the first end', async () => {
    const core = await newCore({ adapters: [deliveriesAdapter] });
    const tables = { deliveries: 'deliveries_rows', attempts: 'deliveries_attempts', marks: 'deliveries_marks' };
    const start = () => {
      const lookedBack: number[] = [];
      const dispatcher = createDeliveryDispatcher({
        store: core.store('deliveries'),
        tables,
        collect: async (since) => {
          lookedBack.push(since);
        },
        collectEnded: async () => undefined,
        subscribe: () => () => undefined,
        pollMs: 60_000,
      });
      dispatcher.start();
      return { dispatcher, lookedBack };
    };
    const first = start();
    const firstStarted = Date.now();
    await expect.poll(() => first.lookedBack).toEqual([0]);
    await first.dispatcher.stop();
    // A node started next (or this one restarted) takes it from there.
    const second = start();
    stops.push(() => second.dispatcher.stop());
    await expect.poll(() => second.lookedBack.length).toBe(1);
    expect(second.lookedBack[0]).toBeGreaterThanOrEqual(firstStarted - 3_600_000 - 1000);
    expect(second.lookedBack[0]).toBeLessThanOrEqual(firstStarted - 3_599_000);
    await second.dispatcher.stop();

    // A node whose clock is ten hours ahead wrote the mark: a start looks back from its own clock.
    await core.store('deliveries').query('UPDATE deliveries_marks SET at = ?', [Date.now() + 36_000_000]);
    const third = start();
    const thirdStarted = Date.now();
    stops.push(() => third.dispatcher.stop());
    await expect.poll(() => third.lookedBack.length).toBe(1);
    expect(third.lookedBack[0]).toBeLessThanOrEqual(thirdStarted - 3_599_000);
  });

  it('hands the ends it heard to collectEnded, and looks back over every recent end only at the start and every sweepMs', async () => {
    const core = await newCore({ adapters: [deliveriesAdapter] });
    const lookedBack: number[] = [];
    const heard: number[][] = [];
    let listener: (job: Job) => void = () => undefined;
    const dispatcher = createDeliveryDispatcher({
      store: core.store('deliveries'),
      tables: { deliveries: 'deliveries_rows', attempts: 'deliveries_attempts' },
      collect: async (since) => {
        lookedBack.push(since);
      },
      collectEnded: async (jobs) => {
        heard.push(jobs.map((job) => job.id));
      },
      subscribe: (heardOne) => {
        listener = heardOne;
        return () => undefined;
      },
      pollMs: 100,
      wakeDelayMs: 20,
      sweepMs: 1500,
    });
    const startedAt = Date.now();
    dispatcher.start();
    stops.push(() => dispatcher.stop());
    await expect.poll(() => lookedBack).toEqual([0]);

    listener(endedJob(1));
    listener(endedJob(2));
    await expect.poll(() => heard).toEqual([[1, 2]]);
    listener(endedJob(3));
    await expect.poll(() => heard).toEqual([[1, 2], [3]]);
    // Polls every 100 ms meanwhile, and none of them looked back.
    await sleep(500);
    expect(lookedBack).toEqual([0]);

    // The next look back starts a minute before the last one.
    await expect.poll(() => lookedBack.length, { timeout: 3000 }).toBe(2);
    expect(lookedBack[1]).toBeGreaterThanOrEqual(startedAt - 60_000);
    expect(lookedBack[1]).toBeLessThan(startedAt - 59_000);
  });

  it('sends a backlog batch after batch, not one batch a poll', async () => {
    const core = await newCore({ adapters: [deliveriesAdapter] });
    let received = 0;
    const receiver = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        received += 1;
        res.end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    stops.push(async () => {
      receiver.close();
    });
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`;
    const store = core.store('deliveries');
    const now = Date.now();
    await store.table('deliveries_rows').insert(
      Array.from({ length: 70 }, (_, i) => ({
        id: `d${i}`,
        url,
        body: '{}',
        state: 'pending',
        attempts: 0,
        next_attempt_at: now,
      })),
    );
    const dispatcher = createDeliveryDispatcher({
      store,
      tables: { deliveries: 'deliveries_rows', attempts: 'deliveries_attempts' },
      collect: async () => undefined,
      pollMs: 60_000,
    });
    dispatcher.start();
    stops.push(() => dispatcher.stop());
    // Twenty a look: four looks, with no poll between them.
    await expect.poll(() => received, { timeout: 5000 }).toBe(70);
    await expect.poll(async () => (await store.table('deliveries_rows').where({ state: 'delivered' })).length).toBe(70);
  });

  it('sends on while a receiver does not answer: one that hangs holds up no other delivery', async () => {
    const core = await newCore({ adapters: [deliveriesAdapter] });
    const answered: string[] = [];
    let hung = 0;
    const receiver = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        // /hang never answers (until its server closes).
        if (req.url === '/hang') hung += 1;
        else {
          answered.push(req.url ?? '');
          res.end();
        }
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    stops.push(async () => {
      receiver.closeAllConnections();
      receiver.close();
    });
    const base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    const store = core.store('deliveries');
    const row = (id: string, path: string) => ({
      id,
      url: `${base}${path}`,
      body: '{}',
      state: 'pending',
      attempts: 0,
      next_attempt_at: Date.now(),
    });
    await store.table('deliveries_rows').insert(row('slow', '/hang'));
    const dispatcher = createDeliveryDispatcher({
      store,
      tables: { deliveries: 'deliveries_rows', attempts: 'deliveries_attempts' },
      collect: async () => undefined,
      pollMs: 100,
      timeoutMs: 10_000,
    });
    dispatcher.start();
    stops.push(() => dispatcher.stop());
    await expect.poll(() => hung).toBe(1);

    await store.table('deliveries_rows').insert(row('next', '/next'));
    await expect.poll(() => answered, { timeout: 3000 }).toEqual(['/next']);
    await expect
      .poll(async () => (await store.table('deliveries_rows').where({ id: 'next' }).first())?.state)
      .toBe('delivered');
    receiver.closeAllConnections();
  });

  it('hears only the ends that are final: a job put back in the queue for a retry has no event yet', () => {
    let emit: (job: Job) => void = () => undefined;
    const heard: number[] = [];
    onJobsOf(
      { onFinished: (listener) => ((emit = listener), () => undefined) },
      'deliveries',
    )((job) => heard.push(job.id));
    emit({ id: 1, adapter: 'deliveries', state: 'queued' } as Job);
    emit({ id: 2, adapter: 'deliveries', state: 'failed' } as Job);
    emit({ id: 3, adapter: 'other', state: 'succeeded' } as Job);
    expect(heard).toEqual([2]);
  });

  it('tells of a queued job canceled, and of one failed by recovery, as ends', async () => {
    const core = await newCore({ adapters: [deliveriesAdapter] });
    const ended: Job[] = [];
    core.jobs.onFinished((job) => ended.push(job));
    const queued = await core.jobs.enqueue({ automationId: 'echo', adapter: 'deliveries' });
    await core.jobs.cancel(queued.job.id);
    expect(ended.map((job) => [job.id, job.state])).toEqual([[queued.job.id, 'canceled']]);

    // Running on a node whose lease ran out, with no attempt left: recovery fails it.
    const orphan = await core.jobs.enqueue({ automationId: 'echo', adapter: 'deliveries' });
    await databaseOf(core)('jobs')
      .where({ id: orphan.job.id })
      .update({
        state: 'running',
        attempt: 1,
        started_at: Date.now() - 2000,
        lease_owner: 'gone/1/node',
        lease_expires_at: Date.now() - 1000,
      });
    await core.recover();
    expect(ended.map((job) => [job.id, job.state])).toEqual([
      [queued.job.id, 'canceled'],
      [orphan.job.id, 'failed'],
    ]);
  });
});
