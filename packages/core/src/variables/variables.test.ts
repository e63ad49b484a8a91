import { describe, expect, it } from 'vitest';
import { VariableError } from '../errors.js';
import { fromPlainJson, toPlainJson } from './plain-json.js';
import { fromTypedJson, toTypedJson } from './typed-json.js';
import { nestsDeeperThan } from './json-depth.js';
import { validateInputs } from './validate-inputs.js';
import type { Value } from './value.js';

const str = (value: string): Value => ({ type: 'STRING', value });
const num = (value: string): Value => ({ type: 'NUMBER', value });

const samples: Record<string, Value> = {
  STRING: str('76131'),
  'STRING empty': str(''),
  NUMBER: num('42'),
  'NUMBER decimal text kept': num('0.10'),
  'NUMBER beyond 2^53': num('9007199254740993'),
  'NUMBER negative exponent': num('-1.5e-7'),
  BOOLEAN: { type: 'BOOLEAN', value: true },
  'BOOLEAN false': { type: 'BOOLEAN', value: false },
  DATETIME: { type: 'DATETIME', value: '2024-02-19T14:03:18+05:30' },
  LIST: { type: 'LIST', value: [str('a'), num('1'), { type: 'BOOLEAN', value: false }] },
  'LIST nested': { type: 'LIST', value: [{ type: 'LIST', value: [str('x')] }] },
  DICTIONARY: {
    type: 'DICTIONARY',
    value: [
      { key: 'city', value: str('San Jose') },
      { key: 'zip', value: num('76131') },
    ],
  },
  TABLE: {
    type: 'TABLE',
    value: {
      schema: [{ name: 'name' }, { name: 'age' }],
      rows: [
        [str('Ada'), num('36')],
        [str('Alan'), num('41')],
      ],
    },
  },
  RECORD: {
    type: 'RECORD',
    value: { schema: [{ name: 'id' }, { name: 'ok' }], values: [num('7'), { type: 'BOOLEAN', value: true }] },
  },
  FILE: { type: 'FILE', value: { name: 'invoice.png' } },
};

describe('typed JSON (Automation Anywhere) encoding', () => {
  for (const [label, value] of Object.entries(samples)) {
    it(`round-trips ${label}`, () => {
      const encoded = toTypedJson(value);
      expect(encoded.type).toBe(value.type);
      expect(fromTypedJson('v', JSON.parse(JSON.stringify(encoded)))).toEqual(value);
    });
  }

  it('writes the vendor shapes', () => {
    expect(toTypedJson(str('California'))).toEqual({ type: 'STRING', string: 'California' });
    expect(toTypedJson(num('5'))).toEqual({ type: 'NUMBER', number: '5' });
    expect(toTypedJson({ type: 'BOOLEAN', value: true })).toEqual({ type: 'BOOLEAN', boolean: true });
    expect(toTypedJson({ type: 'DATETIME', value: '2024-01-01T00:00:00Z' })).toEqual({
      type: 'DATETIME',
      string: '2024-01-01T00:00:00Z',
    });
    expect(toTypedJson(samples.DICTIONARY as Value)).toEqual({
      type: 'DICTIONARY',
      dictionary: [
        { key: 'city', value: { type: 'STRING', string: 'San Jose' } },
        { key: 'zip', value: { type: 'NUMBER', number: '76131' } },
      ],
    });
    expect(toTypedJson(samples.TABLE as Value)).toMatchObject({
      type: 'TABLE',
      table: {
        schema: [{ name: 'name' }, { name: 'age' }],
        rows: [
          {
            values: [
              { type: 'STRING', string: 'Ada' },
              { type: 'NUMBER', number: '36' },
            ],
          },
          {},
        ],
      },
    });
  });

  it('reads the lenient forms clients send', () => {
    expect(fromTypedJson('zip', { string: '76131' })).toEqual(str('76131'));
    expect(fromTypedJson('n', { type: 'NUMBER', number: 5 })).toEqual(num('5'));
    expect(fromTypedJson('n', { type: 'NUMBER', number: ' 5.5 ' })).toEqual(num('5.5'));
    expect(fromTypedJson('b', { type: 'BOOLEAN', boolean: 'false' })).toEqual({ type: 'BOOLEAN', value: false });
    expect(fromTypedJson('l', { type: 'LIST', list: ['a', 'b'] })).toEqual({
      type: 'LIST',
      value: [str('a'), str('b')],
    });
    expect(fromTypedJson('d', { type: 'DICTIONARY', dictionary: { k: { type: 'STRING', string: 'v' } } })).toEqual({
      type: 'DICTIONARY',
      value: [{ key: 'k', value: str('v') }],
    });
  });

  const bad: Array<[string, unknown, RegExp]> = [
    ['iStrZipCode', { type: 'STRING', string: 76131 }, /variable "iStrZipCode": expected STRING/],
    ['amount', { type: 'NUMBER', number: 'twelve' }, /variable "amount": expected NUMBER/],
    ['amount', { type: 'NUMBER', number: 'NaN' }, /variable "amount"/],
    ['flag', { type: 'BOOLEAN', boolean: 'yes' }, /variable "flag": expected BOOLEAN/],
    ['when', { type: 'DATETIME', string: 'yesterday' }, /variable "when": expected DATETIME/],
    ['when', { type: 'DATETIME', string: '2024-13-45T99:00:00Z' }, /variable "when"/],
    ['items', { type: 'LIST', list: 'a,b' }, /variable "items": expected LIST/],
    ['items', { type: 'LIST', list: [{ type: 'NUMBER', number: 'x' }] }, /variable "items\[0\]": expected NUMBER/],
    ['map', { type: 'DICTIONARY', dictionary: [{ key: 'a' }] }, /variable "map\[0\]"/],
    [
      'map',
      {
        type: 'DICTIONARY',
        dictionary: [
          { key: 'a', value: 'x' },
          { key: 'a', value: 'y' },
        ],
      },
      /variable "map": expected unique dictionary keys/,
    ],
    [
      'grid',
      { type: 'TABLE', table: { schema: [{ name: 'a' }], rows: [{ values: [] }] } },
      /variable "grid.rows\[0\]": expected a row of 1 values/,
    ],
    ['grid', { type: 'TABLE', table: { rows: [] } }, /variable "grid.schema"/],
    [
      'rec',
      { type: 'RECORD', record: { schema: [{ name: 'a', type: 'NOPE' }], values: [] } },
      /variable "rec.schema\[0\].type"/,
    ],
    ['doc', { type: 'FILE', string: '' }, /variable "doc": expected FILE/],
    ['x', { type: 'WINDOW', string: 'a' }, /variable "x.type"/],
    ['x', null, /variable "x": expected a typed value, got null/],
  ];
  for (const [name, raw, message] of bad) {
    it(`rejects ${JSON.stringify(raw)} naming ${name}`, () => {
      expect(() => fromTypedJson(name, raw)).toThrow(VariableError);
      expect(() => fromTypedJson(name, raw)).toThrow(message);
    });
  }
});

describe('plain JSON (work item) encoding', () => {
  for (const [label, value] of Object.entries(samples)) {
    it(`round-trips ${label} with its declared type`, () => {
      const plain = JSON.parse(JSON.stringify(toPlainJson(value)));
      expect(fromPlainJson('v', plain, value.type)).toEqual(value);
    });
  }

  it('writes plain shapes', () => {
    expect(toPlainJson(num('42'))).toBe(42);
    expect(toPlainJson(num('0.10'))).toBe('0.10');
    expect(toPlainJson(samples.TABLE as Value)).toEqual([
      { name: 'Ada', age: 36 },
      { name: 'Alan', age: 41 },
    ]);
    expect(toPlainJson(samples.RECORD as Value)).toEqual({ id: 7, ok: true });
  });

  it('infers undeclared values from their JSON shape', () => {
    expect(fromPlainJson('p', { a: [1, 'x', true] })).toEqual({
      type: 'DICTIONARY',
      value: [{ key: 'a', value: { type: 'LIST', value: [num('1'), str('x'), { type: 'BOOLEAN', value: true }] } }],
    });
  });

  it('reads form-field text by the declared type', () => {
    expect(fromPlainJson('n', '12', 'NUMBER')).toEqual(num('12'));
    expect(fromPlainJson('b', 'true', 'BOOLEAN')).toEqual({ type: 'BOOLEAN', value: true });
    expect(fromPlainJson('l', '["a"]', 'LIST')).toEqual({ type: 'LIST', value: [str('a')] });
  });

  const bad: Array<[string, unknown, string, RegExp]> = [
    ['count', 'many', 'NUMBER', /variable "count": expected NUMBER, got the string "many"/],
    ['flag', 1, 'BOOLEAN', /variable "flag": expected BOOLEAN/],
    ['name', { a: 1 }, 'STRING', /variable "name": expected STRING, got an object/],
    ['when', '31/12/2024', 'DATETIME', /variable "when": expected DATETIME/],
    ['items', '[not json', 'LIST', /variable "items": expected LIST \(JSON text\)/],
    ['rows', [{ a: 1 }, 2], 'TABLE', /variable "rows": expected TABLE/],
    ['rows', [{ a: 1 }, { b: 2 }], 'TABLE', /variable "rows\[0\]": expected a value for column "b"/],
    ['payload', { x: null }, 'DICTIONARY', /variable "payload.x"/],
  ];
  for (const [name, raw, type, message] of bad) {
    it(`rejects ${JSON.stringify(raw)} as ${type} naming ${name}`, () => {
      expect(() => fromPlainJson(name, raw, type as never)).toThrow(message);
    });
  }
});

describe('validateInputs', () => {
  const declarations = {
    iStrZipCode: { type: 'STRING' as const, required: true },
    retries: { type: 'NUMBER' as const, required: false, default: num('3') },
  };

  it('keeps declared values and fills defaults', () => {
    expect(validateInputs(declarations, { iStrZipCode: str('76131') })).toEqual({
      iStrZipCode: str('76131'),
      retries: num('3'),
    });
  });

  it('names a missing required variable and its type', () => {
    expect(() => validateInputs(declarations, {})).toThrow('variable "iStrZipCode" is required (STRING)');
  });

  it('names a variable of the wrong type', () => {
    expect(() => validateInputs(declarations, { iStrZipCode: num('76131') })).toThrow(
      'variable "iStrZipCode": expected STRING, got NUMBER',
    );
  });

  it('refuses undeclared variables unless told to keep them', () => {
    expect(() => validateInputs(declarations, { iStrZipCode: str('1'), other: str('x') })).toThrow(
      /variable "other" is not an input/,
    );
    expect(
      validateInputs(declarations, { iStrZipCode: str('1'), other: str('x') }, { allowUnknown: true }).other,
    ).toEqual(str('x'));
  });
});

describe('names are data', () => {
  const declarations = { message: { type: 'STRING' as const, required: false } };

  it('refuses a variable named after Object.prototype as unknown, and keeps it when unknown ones are kept', () => {
    for (const name of ['constructor', 'toString', 'hasOwnProperty']) {
      expect(() => validateInputs(declarations, { [name]: str('x') })).toThrow(
        `variable "${name}" is not an input of this automation (inputs: message)`,
      );
    }
    const kept = validateInputs(
      declarations,
      Object.fromEntries([
        ['__proto__', str('a')],
        ['constructor', str('b')],
      ]),
      { allowUnknown: true },
    );
    expect(Object.getPrototypeOf(kept)).toBe(Object.prototype);
    expect(Object.entries(kept)).toEqual([
      ['__proto__', str('a')],
      ['constructor', str('b')],
    ]);
  });
});

describe('values a caller cannot mean', () => {
  it('takes finite NUMBERs only', () => {
    expect(() => fromTypedJson('amount', { type: 'NUMBER', number: '1e999' })).toThrow(
      'variable "amount": expected NUMBER with a numeric "number"',
    );
    expect(() => fromPlainJson('amount', '-1e400', 'NUMBER')).toThrow(VariableError);
    expect(fromPlainJson('amount', '1e300', 'NUMBER')).toEqual(num('1e300'));
  });

  it('takes real calendar days only', () => {
    for (const text of ['2026-02-30', '2026-02-29', '2026-04-31', '2026-00-10', '2026-13-01']) {
      expect(() => fromTypedJson('due', { type: 'DATETIME', string: text }), text).toThrow(VariableError);
    }
    for (const text of ['2028-02-29', '2026-12-31T23:59:59Z', '2026-04-30 10:00'])
      expect(fromPlainJson('due', text, 'DATETIME')).toEqual({ type: 'DATETIME', value: text });
  });

  it('refuses JSON nested past the limit before reading it, naming the variable', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 5000; i++) deep = [deep];
    expect(() => fromPlainJson('items', deep, 'LIST')).toThrow(
      'variable "items": expected JSON nested at most 64 levels deep, got an array',
    );
    expect(() => fromPlainJson('items', `${'['.repeat(100)}${']'.repeat(100)}`, 'LIST', 64)).toThrow(
      /JSON text nested at most 64 levels deep/,
    );
    expect(fromPlainJson('items', `${'['.repeat(10)}${']'.repeat(10)}`, 'LIST').type).toBe('LIST');
    expect(nestsDeeperThan({ a: [{ b: [] }] }, 4)).toBe(false);
    expect(nestsDeeperThan({ a: [{ b: [] }] }, 3)).toBe(true);
  });
});
