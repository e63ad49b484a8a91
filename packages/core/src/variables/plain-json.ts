/**
 * Plain JSON, as Robocorp work items, `input.json` / `BOTGATE_OUTPUT` files and EMILY's form fields
 * carry values: no type tags, so a declared type (from the manifest) decides how text is read, and
 * undeclared values are inferred from their JSON shape.
 */
import { invalid, isRecord } from './describe.js';
import { defaultJsonDepth, nestsDeeperThan } from './json-depth.js';
import {
  isDateTimeText,
  isNumberText,
  numberToText,
  type Column,
  type JsonValue,
  type Value,
  type VariableType,
} from './value.js';

/**
 * Reads a plain JSON value; with `declared`, text is read as that type (form fields are always
 * text). It may nest `maxDepth` levels at most, checked before anything recurses into it.
 */
export const fromPlainJson = (
  path: string,
  raw: unknown,
  declared?: VariableType,
  maxDepth = defaultJsonDepth,
): Value => {
  if (typeof raw === 'object' && raw !== null && nestsDeeperThan(raw, maxDepth))
    throw invalid(path, `JSON nested at most ${maxDepth} levels deep`, raw);
  return readPlain(path, raw, declared, maxDepth);
};

const readPlain = (path: string, raw: unknown, declared: VariableType | undefined, maxDepth: number): Value => {
  switch (declared) {
    case undefined:
      return infer(path, raw);
    case 'STRING': {
      if (typeof raw === 'string') return { type: declared, value: raw };
      const text = typeof raw === 'number' ? numberToText(raw) : undefined;
      if (text === undefined) throw invalid(path, 'STRING', raw);
      return { type: declared, value: text };
    }
    case 'NUMBER': {
      const text = typeof raw === 'number' ? numberToText(raw) : typeof raw === 'string' ? raw.trim() : undefined;
      if (text === undefined || !isNumberText(text)) throw invalid(path, 'NUMBER', raw);
      return { type: declared, value: text };
    }
    case 'BOOLEAN': {
      if (typeof raw === 'boolean') return { type: declared, value: raw };
      if (raw === 'true' || raw === 'false') return { type: declared, value: raw === 'true' };
      throw invalid(path, 'BOOLEAN (true or false)', raw);
    }
    case 'DATETIME': {
      if (typeof raw !== 'string' || !isDateTimeText(raw)) throw invalid(path, 'DATETIME (ISO-8601 text)', raw);
      return { type: declared, value: raw };
    }
    case 'LIST': {
      const items = typeof raw === 'string' ? parseJsonText(path, raw, 'LIST', maxDepth) : raw;
      if (!Array.isArray(items)) throw invalid(path, 'LIST (a JSON array)', raw);
      return { type: declared, value: items.map((item, index) => infer(`${path}[${index}]`, item)) };
    }
    case 'DICTIONARY': {
      const object = typeof raw === 'string' ? parseJsonText(path, raw, 'DICTIONARY', maxDepth) : raw;
      if (!isRecord(object)) throw invalid(path, 'DICTIONARY (a JSON object)', raw);
      return {
        type: declared,
        value: Object.entries(object).map(([key, item]) => ({ key, value: infer(`${path}.${key}`, item) })),
      };
    }
    case 'TABLE': {
      const rows = typeof raw === 'string' ? parseJsonText(path, raw, 'TABLE', maxDepth) : raw;
      if (!Array.isArray(rows) || !rows.every(isRecord)) throw invalid(path, 'TABLE (an array of row objects)', raw);
      const schema: Column[] = [];
      for (const row of rows)
        for (const name of Object.keys(row)) if (!schema.some((c) => c.name === name)) schema.push({ name });
      return {
        type: declared,
        value: {
          schema,
          rows: rows.map((row, index) =>
            schema.map(({ name }) => {
              if (!Object.hasOwn(row, name)) throw invalid(`${path}[${index}]`, `a value for column "${name}"`, row);
              return infer(`${path}[${index}].${name}`, row[name]);
            }),
          ),
        },
      };
    }
    case 'RECORD': {
      const object = typeof raw === 'string' ? parseJsonText(path, raw, 'RECORD', maxDepth) : raw;
      if (!isRecord(object)) throw invalid(path, 'RECORD (a JSON object)', raw);
      const entries = Object.entries(object);
      return {
        type: declared,
        value: {
          schema: entries.map(([name]) => ({ name })),
          values: entries.map(([name, item]) => infer(`${path}.${name}`, item)),
        },
      };
    }
    case 'FILE': {
      if (typeof raw !== 'string' || raw === '') throw invalid(path, 'FILE (a file name)', raw);
      return { type: declared, value: { name: raw } };
    }
  }
};

// Form fields and query parameters can only carry text, so structured inputs arrive as JSON text.
const parseJsonText = (path: string, text: string, type: VariableType, maxDepth: number): unknown => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text) as unknown;
  } catch {
    throw invalid(path, `${type} (JSON text)`, text);
  }
  if (nestsDeeperThan(parsed, maxDepth))
    throw invalid(path, `${type} (JSON text nested at most ${maxDepth} levels deep)`, text);
  return parsed;
};

const infer = (path: string, raw: unknown): Value => {
  if (typeof raw === 'string') return { type: 'STRING', value: raw };
  if (typeof raw === 'boolean') return { type: 'BOOLEAN', value: raw };
  if (typeof raw === 'number') return readPlain(path, raw, 'NUMBER', Number.POSITIVE_INFINITY);
  if (Array.isArray(raw)) return readPlain(path, raw, 'LIST', Number.POSITIVE_INFINITY);
  if (isRecord(raw)) return readPlain(path, raw, 'DICTIONARY', Number.POSITIVE_INFINITY);
  throw invalid(path, 'a string, number, boolean, array or object', raw);
};

/** Writes a value as plain JSON. A NUMBER whose text a JS number would change stays text. */
export const toPlainJson = (value: Value): JsonValue => {
  switch (value.type) {
    case 'STRING':
    case 'DATETIME':
    case 'BOOLEAN':
      return value.value;
    case 'NUMBER': {
      const number = Number(value.value);
      return numberToText(number) === value.value ? number : value.value;
    }
    case 'LIST':
      return value.value.map(toPlainJson);
    case 'DICTIONARY':
      return Object.fromEntries(value.value.map(({ key, value: item }) => [key, toPlainJson(item)]));
    case 'TABLE':
      return value.value.rows.map((row) =>
        Object.fromEntries(value.value.schema.map((column, index) => [column.name, toPlainJson(row[index] as Value)])),
      );
    case 'RECORD':
      return Object.fromEntries(
        value.value.schema.map((column, index) => [column.name, toPlainJson(value.value.values[index] as Value)]),
      );
    case 'FILE':
      return value.value.name;
  }
};
