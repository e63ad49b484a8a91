import { BotgateError } from '../errors.js';
import { causesOf } from './error-causes.js';

// Disk full: SQLite's own code, the kernel's (job folders, uploads), PostgreSQL's SQLSTATE.
const fullCodes = new Set(['SQLITE_FULL', 'ENOSPC', 'EDQUOT', '53100']);
// Cannot write at all: a read-only or failing disk, a read-only database, a database gone or
// unreachable, SQLite locked by another process past its busy timeout.
const unavailableCodes = new Set([
  'EROFS',
  'EIO',
  '25006',
  '58030',
  '57P01',
  '57P02',
  '57P03',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EPIPE',
  'SQLITE_BUSY',
]);
// What the drivers say without a code: a pool with no connection to give, a connection that died.
const unavailableMessages =
  /^Knex: Timeout acquiring a connection|Connection terminated unexpectedly|Client has encountered a connection error/;

/**
 * A write that failed for want of storage, as core's error (`STORAGE_FULL`, or
 * `STORAGE_UNAVAILABLE` for a read-only or failing disk or database), with a message that names
 * the cause; undefined for any other error. Adapters answer these 507 and 503.
 */
export const storageFailureOf = (error: unknown): BotgateError | undefined => {
  if (error instanceof BotgateError)
    return error.code === 'STORAGE_FULL' || error.code === 'STORAGE_UNAVAILABLE' ? error : undefined;
  for (const { cause, code } of causesOf(error)) {
    const reason = (cause as Error).message ?? String(cause);
    // PostgreSQL's class 08: connection exceptions.
    const connectionLost = code !== undefined && /^08[0-9A-Z]{3}$/.test(code);
    if (code !== undefined && (fullCodes.has(code) || unavailableCodes.has(code) || connectionLost)) {
      const full = fullCodes.has(code);
      const what = full
        ? 'the disk is full'
        : /^(SQLITE|[0-9]|ECONN|ETIMEDOUT|EHOSTUNREACH|EPIPE)/.test(code)
          ? 'the database cannot be written'
          : 'the disk cannot be written';
      return new BotgateError(
        full ? 'STORAGE_FULL' : 'STORAGE_UNAVAILABLE',
        `botgate cannot record this: ${what} (${code}: ${reason})`,
        { cause: code },
        { cause },
      );
    }
    if (code?.startsWith('SQLITE_IOERR') || code?.startsWith('SQLITE_READONLY') || code === 'SQLITE_CANTOPEN') {
      return new BotgateError(
        'STORAGE_UNAVAILABLE',
        `botgate cannot record this: the database cannot be written (${code}: ${reason})`,
        { cause: code },
        { cause },
      );
    }
    if (unavailableMessages.test(reason)) {
      return new BotgateError(
        'STORAGE_UNAVAILABLE',
        `botgate cannot record this: the database cannot be reached (${reason})`,
        { cause: 'CONNECTION' },
        { cause },
      );
    }
  }
  return undefined;
};
