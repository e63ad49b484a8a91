export { createApiTaskRouter, type ApiTaskOptions } from './create-api-task-router.js';
export { apiTaskDescriptor } from './descriptor.js';
export { createUsers, roles, type User } from './auth/users.js';
export type { Role } from './auth/tokens.js';
export { apiTaskContract, apiTaskOpenApi } from './contract.js';
export {
  createApiTaskAccess,
  credentials,
  type ApiTaskAccess,
  type ApiTaskAccessOptions,
  type Credentials,
} from './execution-access.js';
export type { SessionClaims } from './auth/tokens.js';
export type { AccessCheck } from './auth/access-check.js';
export type { Allocation } from './allocations.js';
export {
  createCallbackDispatcher,
  type CallbackDispatcher,
  type CallbackDispatcherOptions,
} from './callback-dispatcher.js';
export { apiTask } from './adapter.js';
