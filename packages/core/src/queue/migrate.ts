import type { Database } from './database.js';
import { coreMigrations, createMigrationSource, type Migration } from './migrations/index.js';

/** Runs core's migrations, or an adapter's under its own bookkeeping table. */
export const migrate = async (
  db: Database,
  migrations: Record<string, Migration> = coreMigrations,
  tableName = 'botgate_migrations',
): Promise<void> => {
  await db.migrate.latest({ migrationSource: createMigrationSource(migrations), tableName });
};

/** Core's migrations, then every adapter's under its own bookkeeping table. */
export const migrateAll = async (
  db: Database,
  adapters: ReadonlyArray<{ migrations: Record<string, Migration>; migrationTable: string }>,
): Promise<void> => {
  await migrate(db);
  for (const adapter of adapters) await migrate(db, adapter.migrations, adapter.migrationTable);
};
