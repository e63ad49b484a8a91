export * from './value.js';
export { fromTypedJson, toTypedJson, type TypedJson } from './typed-json.js';
export { fromPlainJson, toPlainJson } from './plain-json.js';
export { validateInputs, valuesFromPlain, valuesToPlain, type InputDeclaration, type InputDeclarations, type ValidateOptions } from './validate-inputs.js';
