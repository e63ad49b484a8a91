/**
 * Automation Anywhere's typed JSON encoding of variables, as its `botInput` / `botOutput` carry them:
 * `{ "type": "STRING", "string": "76131" }`, the value under the type's name in lower case.
 * Reading is lenient where the vendor's own clients are (a missing type means STRING, a NUMBER may
 * come as number or text, LIST elements may be bare scalars); writing is always the canonical form.
 */
import { invalid, isRecord } from './describe.js';
import {
  isDateTimeText,
  isNumberText,
  isVariableType,
  numberToText,
  type Column,
  type DictionaryEntry,
  type JsonValue,
  type Value,
  type VariableType,
} from './value.js';

export type TypedJson = { type: VariableType } & { [key: string]: JsonValue };

const readScalar = (path: string, raw: unknown): Value => {
  if (typeof raw === 'string') return { type: 'STRING', value: raw };
  if (typeof raw === 'boolean') return { type: 'BOOLEAN', value: raw };
  if (typeof raw === 'number') {
    const text = numberToText(raw);
    if (text !== undefined) return { type: 'NUMBER', value: text };
  }
  throw invalid(path, 'a typed value', raw);
};

const readColumns = (path: string, raw: unknown): Column[] => {
  if (!Array.isArray(raw)) throw invalid(`${path}.schema`, 'an array of columns', raw);
  return raw.map((column, index) => {
    if (!isRecord(column) || typeof column.name !== 'string') {
      throw invalid(`${path}.schema[${index}]`, 'a column { "name": <string> }', column);
    }
    if (column.type !== undefined && !isVariableType(column.type)) {
      throw invalid(`${path}.schema[${index}].type`, 'a variable type', column.type);
    }
    return column.type === undefined ? { name: column.name } : { name: column.name, type: column.type };
  });
};

const readRow = (path: string, raw: unknown, width: number): Value[] => {
  const values = isRecord(raw) ? raw.values : raw;
  if (!Array.isArray(values)) throw invalid(path, 'a row { "values": [...] }', raw);
  if (values.length !== width) throw invalid(path, `a row of ${width} values`, `${values.length} values`);
  return values.map((cell, index) => fromTypedJson(`${path}[${index}]`, cell));
};

/** Reads one typed JSON value; `path` names the variable in every error. */
export const fromTypedJson = (path: string, raw: unknown): Value => {
  if (!isRecord(raw)) {
    // Bare scalars appear inside LIST and DICTIONARY values in the vendor's own examples.
    return readScalar(path, raw);
  }
  const type = raw.type ?? 'STRING';
  if (!isVariableType(type)) throw invalid(`${path}.type`, 'one of the variable types', type);
  switch (type) {
    case 'STRING': {
      if (typeof raw.string !== 'string') throw invalid(path, 'STRING with a "string" text', raw.string);
      return { type, value: raw.string };
    }
    case 'DATETIME': {
      if (typeof raw.string !== 'string' || !isDateTimeText(raw.string)) {
        throw invalid(path, 'DATETIME with an ISO-8601 "string"', raw.string);
      }
      return { type, value: raw.string };
    }
    case 'NUMBER': {
      const number = raw.number;
      const text =
        typeof number === 'number' ? numberToText(number) : typeof number === 'string' ? number.trim() : undefined;
      if (text === undefined || !isNumberText(text)) throw invalid(path, 'NUMBER with a numeric "number"', number);
      return { type, value: text };
    }
    case 'BOOLEAN': {
      const flag = raw.boolean;
      if (typeof flag === 'boolean') return { type, value: flag };
      if (flag === 'true' || flag === 'false') return { type, value: flag === 'true' };
      throw invalid(path, 'BOOLEAN with "boolean" true or false', flag);
    }
    case 'LIST': {
      if (!Array.isArray(raw.list)) throw invalid(path, 'LIST with a "list" array', raw.list);
      return { type, value: raw.list.map((item, index) => fromTypedJson(`${path}[${index}]`, item)) };
    }
    case 'DICTIONARY': {
      const dictionary = raw.dictionary;
      let entries: DictionaryEntry[];
      if (Array.isArray(dictionary)) {
        entries = dictionary.map((entry, index) => {
          if (!isRecord(entry) || typeof entry.key !== 'string' || !('value' in entry)) {
            throw invalid(`${path}[${index}]`, 'an entry { "key": <string>, "value": <typed value> }', entry);
          }
          return { key: entry.key, value: fromTypedJson(`${path}.${entry.key}`, entry.value) };
        });
      } else if (isRecord(dictionary)) {
        entries = Object.entries(dictionary).map(([key, value]) => ({
          key,
          value: fromTypedJson(`${path}.${key}`, value),
        }));
      } else {
        throw invalid(path, 'DICTIONARY with a "dictionary" of { key, value } entries', dictionary);
      }
      const keys = new Set<string>();
      for (const { key } of entries) {
        if (keys.has(key)) throw invalid(path, 'unique dictionary keys', `the key "${key}" twice`);
        keys.add(key);
      }
      return { type, value: entries };
    }
    case 'TABLE': {
      const table = raw.table;
      if (!isRecord(table)) throw invalid(path, 'TABLE with a "table" { schema, rows }', table);
      const schema = readColumns(path, table.schema);
      if (!Array.isArray(table.rows)) throw invalid(`${path}.rows`, 'an array of rows', table.rows);
      return {
        type,
        value: { schema, rows: table.rows.map((row, index) => readRow(`${path}.rows[${index}]`, row, schema.length)) },
      };
    }
    case 'RECORD': {
      const record = raw.record;
      if (!isRecord(record)) throw invalid(path, 'RECORD with a "record" { schema, values }', record);
      const schema = readColumns(path, record.schema);
      return { type, value: { schema, values: readRow(`${path}.values`, record.values, schema.length) } };
    }
    case 'FILE': {
      const name = raw.string ?? raw.file;
      if (typeof name !== 'string' || name === '') throw invalid(path, 'FILE with a file name in "string"', name);
      return { type, value: { name } };
    }
  }
};

/** Writes a value in the vendor's canonical typed JSON. */
export const toTypedJson = (value: Value): TypedJson => {
  switch (value.type) {
    case 'STRING':
    case 'DATETIME':
      return { type: value.type, string: value.value };
    case 'NUMBER':
      return { type: value.type, number: value.value };
    case 'BOOLEAN':
      return { type: value.type, boolean: value.value };
    case 'LIST':
      return { type: value.type, list: value.value.map(toTypedJson) };
    case 'DICTIONARY':
      return {
        type: value.type,
        dictionary: value.value.map(({ key, value: item }) => ({ key, value: toTypedJson(item) })),
      };
    case 'TABLE':
      return {
        type: value.type,
        table: {
          schema: value.value.schema.map(columnToJson),
          rows: value.value.rows.map((row) => ({ values: row.map(toTypedJson) })),
        },
      };
    case 'RECORD':
      return {
        type: value.type,
        record: { schema: value.value.schema.map(columnToJson), values: value.value.values.map(toTypedJson) },
      };
    case 'FILE':
      return { type: value.type, string: value.value.name };
  }
};

const columnToJson = (column: Column): { [key: string]: JsonValue } =>
  column.type === undefined ? { name: column.name } : { name: column.name, type: column.type };
