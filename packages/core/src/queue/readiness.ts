import type { Database } from './database.js';
import type { StorageHealth } from './storage-health.js';
import { migrationSets, migrationState, type MigrationSet } from './migrate.js';

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
  adapterSets: readonly MigrationSet[],
  storage: StorageHealth,
): Promise<Readiness> => {
  try {
    await db.raw('SELECT 1');
  } catch (error) {
    return { ready: false, database: (error as Error).message, storage: 'unknown', pendingMigrations: [] };
  }
  const failure = await storage.check();
  const { pending, unknown } = await migrationState(db, migrationSets(adapterSets));
  if (unknown.length > 0) {
    return {
      ready: false,
      database: `migrated by a newer botgate (${unknown.join(', ')}): run that version or a later one on this node`,
      storage: failure?.message ?? 'ok',
      pendingMigrations: pending,
    };
  }
  return {
    ready: pending.length === 0 && !failure,
    database: 'ok',
    storage: failure?.message ?? 'ok',
    pendingMigrations: pending,
  };
};
