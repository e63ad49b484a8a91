import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { BotgateError } from '../errors.js';

export type DatabaseConfig =
  | {
      client: 'sqlite';
      filename: string;
      /**
       * SQLite's `synchronous` in WAL mode. `full` makes every answered trigger survive power loss;
       * `normal` survives a crashed or killed process only, and commits about four times faster.
       * @default 'full'
       */
      synchronous?: 'full' | 'normal';
    }
  | { client: 'pg'; connectionString: string };

export type Database = Knex;

export const createDatabase = (config: DatabaseConfig): Database => {
  if (config.client === 'pg') {
    // The claim statement and leases are written for SQLite's single writer so far.
    throw new BotgateError('INVALID_CONFIG', 'database: PostgreSQL is not supported yet; use a SQLite file (the default)');
  }
  mkdirSync(dirname(config.filename), { recursive: true });
  const synchronous = config.synchronous ?? 'full';
  return knexFactory({
    client: 'better-sqlite3',
    connection: { filename: config.filename },
    useNullAsDefault: true,
    // better-sqlite3 is synchronous: one connection serialises this process's statements, and
    // more would only contend for SQLite's single writer lock.
    pool: {
      min: 1,
      max: 1,
      afterCreate: (connection: { pragma: (sql: string) => unknown }, done: (error: Error | null, connection: unknown) => void) => {
        try {
          connection.pragma('journal_mode = WAL');
          connection.pragma(`synchronous = ${synchronous}`);
          // Other processes (the CLI, a second node) write to the same file; wait for their lock instead of failing.
          connection.pragma('busy_timeout = 5000');
          connection.pragma('foreign_keys = ON');
          done(null, connection);
        } catch (error) {
          done(error as Error, connection);
        }
      },
    },
  });
};

export const isSqlite = (db: Database): boolean => db.client.config.client === 'better-sqlite3';
