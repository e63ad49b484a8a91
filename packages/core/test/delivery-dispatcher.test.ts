import { afterAll, describe, expect, it } from 'vitest';
import { createDeliveryDispatcher, type AdapterDescriptor, type MigrationDatabase } from '../src/index.js';
import { useCore, useTempDir } from './helpers.js';

const newCore = useCore(useTempDir('botgate-deliveries-'));
const stops: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const stop of stops) await stop();
});

// An adapter with the two tables a dispatcher works on.
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
      },
      down: async () => undefined,
    },
  },
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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
        wake = listener;
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
});
