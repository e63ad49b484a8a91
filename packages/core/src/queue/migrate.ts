import { BotgateError } from '../errors.js';
import type { Database } from './database.js';
import { withMigrationLock } from './migration-lock.js';
import { coreMigrations, createMigrationSource, type Migration } from './migrations/index.js';

export interface MigrationSet {
  migrations: Record<string, Migration>;
  migrationTable: string;
}

/** Core's set, then the adapters'. */
export const migrationSets = (adapters: readonly MigrationSet[]): MigrationSet[] => [
  { migrations: coreMigrations, migrationTable: 'botgate_migrations' },
  ...adapters,
];

/**
 * What the database has run against what this code has, each as `<table>: <name>`: `pending`,
 * this code's migrations not yet run; `unknown`, migrations run that this code does not have (a
 * newer botgate migrated it). Read from the bookkeeping tables, not through knex's migrator,
 * which throws on an unknown migration ("the migration directory is corrupt").
 */
export const migrationState = async (
  db: Database,
  sets: readonly MigrationSet[],
): Promise<{ pending: string[]; unknown: string[] }> => {
  const pending: string[] = [];
  const unknown: string[] = [];
  for (const { migrations, migrationTable } of sets) {
    const ran = new Set<string>(
      await db(migrationTable)
        .orderBy('id')
        .pluck('name')
        .catch(() => []),
    );
    pending.push(
      ...Object.keys(migrations)
        .filter((name) => !ran.has(name))
        .map((name) => `${migrationTable}: ${name}`),
    );
    unknown.push(
      ...[...ran].filter((name) => !Object.hasOwn(migrations, name)).map((name) => `${migrationTable}: ${name}`),
    );
  }
  return { pending, unknown };
};

/** Runs the sets in order; the caller holds the migration lock. */
const runSets = async (db: Database, sets: readonly MigrationSet[]): Promise<void> => {
  const { unknown } = await migrationState(db, sets);
  if (unknown.length > 0) {
    throw new BotgateError(
      'DATABASE_NEWER',
      `the database was migrated by a newer botgate: it has run migrations this botgate does not have (${unknown.join(', ')}); run that version or a later one`,
      { unknownMigrations: unknown },
    );
  }
  for (const { migrations, migrationTable } of sets) {
    await db.migrate.latest({ migrationSource: createMigrationSource(migrations), tableName: migrationTable });
  }
};

/** Runs core's migrations, or an adapter's under its own bookkeeping table. */
export const migrate = (
  db: Database,
  migrations: Record<string, Migration> = coreMigrations,
  tableName = 'botgate_migrations',
): Promise<void> => withMigrationLock(db, () => runSets(db, [{ migrations, migrationTable: tableName }]));

/**
 * Core's migrations, then every adapter's under its own bookkeeping table, as one run under one
 * lock: of nodes starting together, the first migrates and the others wait, then find it done.
 */
export const migrateAll = (db: Database, adapters: readonly MigrationSet[]): Promise<void> =>
  withMigrationLock(db, () => runSets(db, migrationSets(adapters)));
