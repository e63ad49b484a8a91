import type { Knex } from 'knex';

/** The nodes whose workers take queued jobs, each renewing its row while it runs (`core.nodes`). */
export const up = async (knex: Knex): Promise<void> => {
  await knex.schema.createTable('nodes', (t) => {
    t.string('id', 200).primary();
    t.string('host', 255).notNullable();
    t.integer('pid').notNullable();
    t.bigInteger('started_at').notNullable();
    // A node that dies stops renewing: once this passes, it is no longer counted alive.
    t.bigInteger('expires_at').notNullable().index();
  });
};

export const down = async (knex: Knex): Promise<void> => {
  await knex.schema.dropTable('nodes');
};
