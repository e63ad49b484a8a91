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
