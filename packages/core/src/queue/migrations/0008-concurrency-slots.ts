import type { Knex } from 'knex';

/** Calls in flight per key and node (`core.slots`), so a concurrency limit holds across a cluster. */
export const up = async (knex: Knex): Promise<void> => {
  await knex.schema.createTable('concurrency_slots', (t) => {
    t.string('key', 200).notNullable();
    t.string('node_id', 200).notNullable();
    t.integer('active').notNullable();
    // A node that dies stops renewing: its count stops counting once this passes.
    t.bigInteger('expires_at').notNullable();
    t.primary(['key', 'node_id']);
  });
};

export const down = async (knex: Knex): Promise<void> => {
  await knex.schema.dropTable('concurrency_slots');
};
