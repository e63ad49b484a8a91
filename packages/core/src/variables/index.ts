export * from './value.js';
export { fromTypedJson, toTypedJson, type TypedJson } from './typed-json.js';
export { fromPlainJson, toPlainJson } from './plain-json.js';
export {
  validateInputs,
  valuesFromPlain,
  valuesToPlain,
  type InputDeclaration,
  type InputDeclarations,
  type ValidateOptions,
} from './validate-inputs.js';
export { defaultJsonDepth, nestsDeeperThan } from './json-depth.js';
export { own } from './describe.js';
