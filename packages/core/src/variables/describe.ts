import { VariableError } from '../errors.js';

/** A short description of what a JSON value is, for error messages. */
export const describe = (value: unknown): string => {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `${typeof value} ${String(value)}`;
};

/** The one message shape of a value that does not fit: `variable "<path>": expected <x>, got <y>`. */
export const invalid = (path: string, expected: string, got: unknown): VariableError =>
  new VariableError('INVALID_VARIABLE', path, `variable "${path}": expected ${expected}, got ${describe(got)}`, {
    expected,
  });

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * `record[key]` when `record` has it as its own property: a name is data, and `constructor` or
 * `toString` must not find what every object inherits.
 */
export const own = <T>(record: Readonly<Record<string, T>>, key: string): T | undefined =>
  Object.hasOwn(record, key) ? record[key] : undefined;
