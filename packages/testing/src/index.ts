import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The PostgreSQL server the suite runs against a second time, when set (`.ci/run` sets it). */
export const testDatabaseUrl = (): string | undefined => process.env.BOTGATE_TEST_DATABASE_URL || undefined;

export interface TestDatabase {
  /** For `createCore({ database })` (core's `DatabaseConfig`): undefined means SQLite in the data folder, the default. */
  config: { client: 'pg'; connectionString: string } | undefined;
  /** For a `botgate` child process. */
  env: Record<string, string>;
  /** Which database the tests run on, for test names. */
  kind: 'sqlite' | 'postgres';
  drop(): Promise<void>;
}

/**
 * A database of its own for one test file: SQLite in the caller's data folder, or, when
 * BOTGATE_TEST_DATABASE_URL names a PostgreSQL server, a new database there (dropped after).
 */
export const createTestDatabase = async (): Promise<TestDatabase> => {
  const url = testDatabaseUrl();
  if (!url) return { config: undefined, env: {}, kind: 'sqlite', drop: async () => {} };
  const name = `botgate_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const target = new URL(url);
  target.pathname = `/${name}`;
  const connectionString = target.toString();
  return {
    config: { client: 'pg', connectionString },
    env: { BOTGATE_DATABASE: connectionString },
    kind: 'postgres',
    async drop() {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
};
export { waitFor } from './wait-for.js';
export { useTestRoot } from './use-test-root.js';
export { adminQuery } from './admin-query.js';
export { documented } from './documented.js';
