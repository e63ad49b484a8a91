import { VariableError } from '../errors.js';
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
export const validateInputs = (declarations: InputDeclarations, values: Values, options: ValidateOptions = {}): Values => {
  const result: Values = {};
  for (const [name, value] of Object.entries(values)) {
    const declaration = declarations[name];
    if (declaration === undefined) {
      if (!options.allowUnknown) {
        const known = Object.keys(declarations);
        throw new VariableError(
          'UNKNOWN_VARIABLE',
          name,
          `variable "${name}" is not an input of this automation${known.length > 0 ? ` (inputs: ${known.join(', ')})` : ' (it declares no inputs)'}`,
        );
      }
      result[name] = value;
      continue;
    }
    if (value.type !== declaration.type) {
      throw new VariableError('INVALID_VARIABLE', name, `variable "${name}": expected ${declaration.type}, got ${value.type}`, {
        expected: declaration.type,
        actual: value.type,
      });
    }
    result[name] = value;
  }
  for (const [name, declaration] of Object.entries(declarations)) {
    if (name in result) continue;
    if (declaration.default !== undefined) result[name] = declaration.default;
    else if (declaration.required) {
      throw new VariableError('MISSING_VARIABLE', name, `variable "${name}" is required (${declaration.type})`, {
        expected: declaration.type,
      });
    }
  }
  return result;
};

/** Reads a plain JSON object (work item, form fields) into values, each by its declared type. */
export const valuesFromPlain = (declarations: InputDeclarations, plain: Record<string, unknown>): Values =>
  Object.fromEntries(Object.entries(plain).map(([name, raw]) => [name, fromPlainJson(name, raw, declarations[name]?.type)]));

export const valuesToPlain = (values: Values): Record<string, JsonValue> =>
  Object.fromEntries(Object.entries(values).map(([name, value]) => [name, toPlainJson(value)]));
