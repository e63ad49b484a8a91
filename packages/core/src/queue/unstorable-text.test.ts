import { describe, expect, it } from 'vitest';
import { storableText, unstorableTextOf } from './unstorable-text.js';

const failure = (code: string, message = 'refused') => Object.assign(new Error(message), { code });

describe('unstorable text', () => {
  it("names PostgreSQL's refusal of a NUL as INVALID_TEXT, also when wrapped, and nothing else", () => {
    for (const code of ['22021', '22P05'])
      expect(unstorableTextOf(new Error('query failed', { cause: failure(code) }))).toMatchObject({
        code: 'INVALID_TEXT',
        details: { cause: code },
      });
    for (const error of [failure('23505'), failure('ENOSPC'), new Error('plain'), undefined, null])
      expect(unstorableTextOf(error)).toBeUndefined();
  });

  it('writes each NUL of a job’s text as U+FFFD and leaves other text alone', () => {
    expect(storableText('a\u0000b\u0000')).toBe('a\uFFFDb\uFFFD');
    expect(storableText('plain')).toBe('plain');
    expect(storableText(null)).toBeNull();
  });
});
