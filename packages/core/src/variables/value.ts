/**
 * The one value model behind every adapter: Automation Anywhere's typed variables, Robocorp's JSON
 * work items and EMILY's form fields all become `Value`s, so runners and storage see one shape.
 *
 * NUMBER keeps the decimal text it was given: Automation Anywhere sends numbers as strings, and a
 * float would silently turn "0.10" into 0.1 or lose digits past 2^53.
 */
export const variableTypes = [
  'STRING',
  'NUMBER',
  'BOOLEAN',
  'DATETIME',
  'LIST',
  'DICTIONARY',
  'TABLE',
  'RECORD',
  'FILE',
] as const;

export type VariableType = (typeof variableTypes)[number];

export interface Column {
  name: string;
  type?: VariableType;
}

export interface DictionaryEntry {
  key: string;
  value: Value;
}

export type Value =
  | { type: 'STRING'; value: string }
  | { type: 'NUMBER'; value: string }
  | { type: 'BOOLEAN'; value: boolean }
  | { type: 'DATETIME'; value: string }
  | { type: 'LIST'; value: Value[] }
  | { type: 'DICTIONARY'; value: DictionaryEntry[] }
  | { type: 'TABLE'; value: { schema: Column[]; rows: Value[][] } }
  | { type: 'RECORD'; value: { schema: Column[]; values: Value[] } }
  /** `name` is the file's name inside the job's working folder. */
  | { type: 'FILE'; value: { name: string } };

export type Values = Record<string, Value>;

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export const isVariableType = (type: unknown): type is VariableType =>
  typeof type === 'string' && (variableTypes as readonly string[]).includes(type);

const numberPattern = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

/** A decimal number a double can hold: `1e999` is no number an automation could use. */
export const isNumberText = (text: string): boolean => numberPattern.test(text.trim()) && Number.isFinite(Number(text));

// ISO-8601 date or date-time, with optional fraction and offset: the forms Automation Anywhere and JSON clients send.
const dateTimePattern = /^(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** A real calendar instant: JavaScript's parser takes `2026-02-30` for the 2nd of March. */
export const isDateTimeText = (text: string): boolean => {
  const match = dateTimePattern.exec(text);
  if (!match || Number.isNaN(Date.parse(text.replace(' ', 'T')))) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return month >= 1 && month <= 12 && day >= 1 && day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
};

/** Canonical text of a JS number, refusing NaN and infinities, which JSON cannot carry. */
export const numberToText = (value: number): string | undefined => (Number.isFinite(value) ? String(value) : undefined);
