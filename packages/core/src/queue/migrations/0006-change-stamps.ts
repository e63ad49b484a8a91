import type { Knex } from 'knex';

/** A counter per topic, moved with every change to what nodes cache (see queue/change-stamps.ts). */
export const up = async (knex: Knex): Promise<void> => {
  await knex.schema.createTable('botgate_stamps', (t) => {
    t.string('topic', 100).primary();
    t.bigInteger('version').notNullable();
  });
};

export const down = async (knex: Knex): Promise<void> => {
  await knex.schema.dropTable('botgate_stamps');
};
