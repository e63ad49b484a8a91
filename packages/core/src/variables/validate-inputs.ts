import { VariableError } from '../errors.js';
import { own } from './describe.js';
import { defaultJsonDepth } from './json-depth.js';
import { fromPlainJson, toPlainJson } from './plain-json.js';
import type { JsonValue, Value, Values, VariableType } from './value.js';

export interface InputDeclaration {
  type: VariableType;
  /** @default false */
  required: boolean;
  default?: Value;
  description?: string;
}

export type InputDeclarations = Record<string, InputDeclaration>;

export interface ValidateOptions {
  /**
   * Keep variables the manifest does not declare. Work items carry arbitrary payloads; typed
   * callers (Automation Anywhere) must match declared inputs exactly.
   * @default false
   */
  allowUnknown?: boolean;
}

/**
 * Checks values against a manifest's declared inputs and fills defaults. Every error names the
 * variable and the expected type, so adapters can answer it to the caller as it is.
 */
export const validateInputs = (
  declarations: InputDeclarations,
  values: Values,
  options: ValidateOptions = {},
): Values => {
  // Entries, not assignments: `result.__proto__ = …` would set a prototype, not keep a variable.
  const result = new Map<string, Value>();
  for (const [name, value] of Object.entries(values)) {
    const declaration = own(declarations, name);
    if (declaration === undefined) {
      if (!options.allowUnknown) {
        const known = Object.keys(declarations);
        throw new VariableError(
          'UNKNOWN_VARIABLE',
          name,
          `variable "${name}" is not an input of this automation${known.length > 0 ? ` (inputs: ${known.join(', ')})` : ' (it declares no inputs)'}`,
        );
      }
      result.set(name, value);
      continue;
    }
    if (value.type !== declaration.type) {
      throw new VariableError(
        'INVALID_VARIABLE',
        name,
        `variable "${name}": expected ${declaration.type}, got ${value.type}`,
        {
          expected: declaration.type,
          actual: value.type,
        },
      );
    }
    result.set(name, value);
  }
  for (const [name, declaration] of Object.entries(declarations)) {
    if (result.has(name)) continue;
    if (declaration.default !== undefined) result.set(name, declaration.default);
    else if (declaration.required) {
      throw new VariableError('MISSING_VARIABLE', name, `variable "${name}" is required (${declaration.type})`, {
        expected: declaration.type,
      });
    }
  }
  return Object.fromEntries(result);
};

/**
 * Reads a plain JSON object (work item, form fields) into values, each by its declared type; JSON
 * text in a field may nest `maxDepth` levels at most.
 */
export const valuesFromPlain = (
  declarations: InputDeclarations,
  plain: Record<string, unknown>,
  maxDepth = defaultJsonDepth,
): Values =>
  Object.fromEntries(
    Object.entries(plain).map(([name, raw]) => [
      name,
      fromPlainJson(name, raw, own(declarations, name)?.type, maxDepth),
    ]),
  );

export const valuesToPlain = (values: Values): Record<string, JsonValue> =>
  Object.fromEntries(Object.entries(values).map(([name, value]) => [name, toPlainJson(value)]));
