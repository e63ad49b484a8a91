import { RateLimiterPostgres, RateLimiterSQLite, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { isSqlite, type Database } from '../queue/database.js';

export interface RateLimiterOptions {
  /** The adapter's table in rate-limiter-flexible's layout (`key`, `points`, `expire`), made by its migration. */
  table: string;
  keyPrefix: string;
  points: number;
  durationSeconds: number;
  /** Deletes expired rows now and then. @default false */
  clearExpiredByTimeout?: boolean;
}

/** rate-limiter-flexible's counter over the database, in the store its dialect needs: every node counts together. */
export const createRateLimiter = (db: Database, options: RateLimiterOptions): RateLimiterAbstract => {
  const settings = {
    storeClient: db,
    storeType: 'knex',
    tableName: options.table,
    tableCreated: true,
    keyPrefix: options.keyPrefix,
    points: options.points,
    duration: options.durationSeconds,
    clearExpiredByTimeout: options.clearExpiredByTimeout ?? false,
  };
  return isSqlite(db) ? new RateLimiterSQLite(settings) : new RateLimiterPostgres(settings);
};
