import { randomUUID } from 'node:crypto';
import type { MigrationDatabase } from '@botgate/core';

export const up = async (knex: MigrationDatabase): Promise<void> => {
  // Orchestrator's folders (organization units). Folder 1 is `Shared`, as every Orchestrator has.
  await knex.schema.createTable('uipath_folders', (t) => {
    t.increments('id').primary();
    t.string('key', 36).notNullable().unique();
    t.string('display_name', 200).notNullable().unique();
    t.bigInteger('created_at').notNullable();
  });
  await knex('uipath_folders').insert({
    key: randomUUID(),
    display_name: 'Shared',
    created_at: Date.now(),
  });
  // A release is an automation published into a folder; its Key is what StartJobs names.
  await knex.schema.createTable('uipath_releases', (t) => {
    t.increments('id').primary();
    t.string('key', 36).notNullable().unique();
    t.integer('folder_id').notNullable();
    t.string('automation_id', 200).notNullable();
    t.bigInteger('created_at').notNullable();
    t.unique(['folder_id', 'automation_id']);
  });
  // A job started through this API: its Key, and the release and folder it was started in.
  await knex.schema.createTable('uipath_jobs', (t) => {
    t.integer('job_id').primary();
    t.string('key', 36).notNullable().unique();
    t.integer('release_id').notNullable();
    t.integer('folder_id').notNullable();
    t.string('batch_key', 36).notNullable();
    t.string('input_arguments', 65535).nullable();
    t.string('stop_strategy', 20).nullable();
    t.index(['folder_id', 'job_id']);
  });
  // External applications (OAuth client credentials): the secret is kept as its SHA-256.
  await knex.schema.createTable('uipath_apps', (t) => {
    t.string('client_id', 36).primary();
    t.string('name', 200).notNullable();
    t.string('secret_hash', 64).notNullable();
    t.string('scope', 1000).notNullable();
    t.bigInteger('created_at').notNullable();
  });
  // Bearer tokens, kept as their SHA-256: every call checks its token here, so a removed app or a
  // changed user ends at once.
  await knex.schema.createTable('uipath_tokens', (t) => {
    t.string('token_hash', 64).primary();
    t.string('subject_kind', 10).notNullable();
    t.string('subject', 200).notNullable();
    t.string('access_stamp', 64).nullable();
    // What an application's token was granted (a user's token holds the user's role instead).
    t.string('scope', 1000).nullable();
    t.bigInteger('expires_at').notNullable();
    t.index(['expires_at']);
  });
};

export const down = async (knex: MigrationDatabase): Promise<void> => {
  for (const table of ['uipath_tokens', 'uipath_apps', 'uipath_jobs', 'uipath_releases', 'uipath_folders'])
    await knex.schema.dropTable(table);
};
