import { describe, expect, it } from 'vitest';
import { BotgateError } from '../errors.js';
import { sanitizeFileName } from './sanitize-file-name.js';

describe('upload file names', () => {
  it('keeps a name inside the job folder', () => {
    expect(sanitizeFileName('../../evil.txt')).toBe('evil.txt');
    expect(sanitizeFileName('C:\\Windows\\system.ini')).toBe('system.ini');
    expect(sanitizeFileName('CON')).toBe('_CON');
    expect(sanitizeFileName('.hidden')).toBe('_hidden');
    expect(sanitizeFileName('___')).toBe('___');
  });

  it('removes bidirectional controls, which make a name read as another', () => {
    expect(sanitizeFileName('invoice\u202efdp.exe')).toBe('invoicefdp.exe');
    expect(sanitizeFileName('\u2067report\u2069.pdf')).toBe('report.pdf');
  });

  it('refuses a name that is `.`, `..` or nothing once made safe, naming it', () => {
    for (const name of ['.', '..', '', '...', '  ', '\u202e', 'a/..', '\u0001\u0002']) {
      expect(() => sanitizeFileName(name), JSON.stringify(name)).toThrow(BotgateError);
    }
    expect(() => sanitizeFileName('..')).toThrow('the upload named ".." has no usable file name');
  });
});
