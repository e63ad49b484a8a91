import type { Database } from './database.js';
import type { StorageHealth } from './storage-health.js';
import { coreMigrations, createMigrationSource, type Migration } from './migrations/index.js';

export interface Readiness {
  ready: boolean;
  database: 'ok' | string;
  /** `ok`, or why the last write failed (disk full, read-only): unready until a write succeeds again. */
  storage: 'ok' | string;
  /** Migrations this code has and the database has not run (another node is newer, or a restore is older). */
  pendingMigrations: string[];
}

/** Whether this node can serve: the database answers and has every migration this code knows. */
export const checkReadiness = async (
  db: Database,
  adapterSets: ReadonlyArray<{ migrations: Record<string, Migration>; migrationTable: string }>,
  storage: StorageHealth,
): Promise<Readiness> => {
  try {
    await db.raw('SELECT 1');
  } catch (error) {
    return { ready: false, database: (error as Error).message, storage: 'unknown', pendingMigrations: [] };
  }
  const failure = await storage.check();
  const sets = [{ migrations: coreMigrations, migrationTable: 'botgate_migrations' }, ...adapterSets];
  const pending: string[] = [];
  for (const { migrations, migrationTable } of sets) {
    const [, missing] = (await db.migrate.list({ migrationSource: createMigrationSource(migrations), tableName: migrationTable })) as [unknown[], string[]];
    pending.push(...missing.map((name) => `${migrationTable}: ${name}`));
  }
  return { ready: pending.length === 0 && !failure, database: 'ok', storage: failure?.message ?? 'ok', pendingMigrations: pending };
};
