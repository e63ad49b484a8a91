import { describe, expect, it } from 'vitest';
import { BotgateError } from '../errors.js';
import { storageFailureOf } from './storage-error.js';

const failure = (code: string, message = 'boom') => Object.assign(new Error(message), { code });

describe('storage failures', () => {
  it('calls a full disk full, whichever layer says so', () => {
    for (const code of ['SQLITE_FULL', 'ENOSPC', 'EDQUOT', '53100']) {
      expect(storageFailureOf(failure(code))).toMatchObject({ code: 'STORAGE_FULL', details: { cause: code } });
    }
    expect(storageFailureOf(failure('ENOSPC', 'no space left on device'))?.message).toBe(
      'botgate cannot record this: the disk is full (ENOSPC: no space left on device)',
    );
  });

  it('calls a disk or database that cannot be written unavailable', () => {
    for (const code of [
      'SQLITE_IOERR_WRITE',
      'SQLITE_READONLY_DBMOVED',
      'SQLITE_CANTOPEN',
      'SQLITE_BUSY',
      'EROFS',
      'EIO',
      '25006',
      '58030',
      '57P01',
      '08006',
      'ECONNREFUSED',
      'ECONNRESET',
    ]) {
      expect(storageFailureOf(failure(code))).toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
    }
    expect(
      storageFailureOf(new Error('Knex: Timeout acquiring a connection. The pool is probably full.')),
    ).toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
    expect(storageFailureOf(new Error('Connection terminated unexpectedly'))).toMatchObject({
      code: 'STORAGE_UNAVAILABLE',
    });
  });

  it("finds the driver's error down a chain of causes", () => {
    const wrapped = new Error('insert into jobs failed', {
      cause: new Error('write failed', { cause: failure('SQLITE_FULL') }),
    });
    expect(storageFailureOf(wrapped)).toMatchObject({ code: 'STORAGE_FULL' });
  });

  it('leaves every other error alone', () => {
    expect(storageFailureOf(failure('SQLITE_CONSTRAINT_UNIQUE'))).toBeUndefined();
    expect(storageFailureOf(failure('23505'))).toBeUndefined();
    expect(storageFailureOf(new TypeError('x is not a function'))).toBeUndefined();
    expect(storageFailureOf(new BotgateError('JOB_NOT_FOUND', 'no job'))).toBeUndefined();
    expect(storageFailureOf(null)).toBeUndefined();
    const already = new BotgateError('STORAGE_FULL', 'full');
    expect(storageFailureOf(already)).toBe(already);
  });
});
