import type { Knex } from 'knex';
import * as jobs from './0001-jobs.js';
import * as workItems from './0002-work-items.js';
import * as claimFunction from './0003-claim-function.js';
import * as queueIndexes from './0004-queue-indexes.js';
import * as attempts from './0005-attempts.js';
import * as changeStamps from './0006-change-stamps.js';
import * as workItemsList from './0007-work-items-list.js';
import * as concurrencySlots from './0008-concurrency-slots.js';
import * as claimNext from './0009-claim-next.js';
import * as nodes from './0010-nodes.js';
import * as fewerJobIndexes from './0011-fewer-job-indexes.js';
import * as queueTable from './0012-queue-table.js';
import * as endAndClaim from './0013-end-and-claim.js';
import * as finishedJobsIndex from './0014-finished-jobs-index.js';
import * as notifyWhereRoom from './0015-notify-where-room.js';

/** The database a migration gets: knex, whose schema builder is where it serves (adapters' own tables only). */
export type MigrationDatabase = Knex;

export interface Migration {
  up: (knex: MigrationDatabase) => Promise<void>;
  down: (knex: MigrationDatabase) => Promise<void>;
}

/**
 * Migrations are listed in code, not discovered on disk, so they run the same from `src/` under
 * vitest and from `dist/` in production. Adapters add their own list under their own table name.
 */
export const createMigrationSource = (migrations: Record<string, Migration>): Knex.MigrationSource<string> => ({
  getMigrations: async () => Object.keys(migrations).sort(),
  getMigrationName: (name) => name,
  getMigration: async (name) => migrations[name] as Migration,
});

export const coreMigrations: Record<string, Migration> = {
  '0001-jobs': jobs,
  '0002-work-items': workItems,
  '0003-claim-function': claimFunction,
  '0004-queue-indexes': queueIndexes,
  '0005-attempts': attempts,
  '0006-change-stamps': changeStamps,
  '0007-work-items-list': workItemsList,
  '0008-concurrency-slots': concurrencySlots,
  '0009-claim-next': claimNext,
  '0010-nodes': nodes,
  '0011-fewer-job-indexes': fewerJobIndexes,
  '0012-queue-table': queueTable,
  '0013-end-and-claim': endAndClaim,
  '0014-finished-jobs-index': finishedJobsIndex,
  '0015-notify-where-room': notifyWhereRoom,
};
