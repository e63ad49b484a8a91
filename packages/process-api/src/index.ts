export { createProcessApiRouter, type ProcessApiOptions } from './create-process-api-router.js';
export { createProcessApiDescriptor, createProcessApiCommands, type ProcessApiCommandContext } from './descriptor.js';
export {
  createWebhookDispatcher,
  type WebhookDispatcher,
  type WebhookDispatcherOptions,
} from './webhooks/create-webhook-dispatcher.js';
export { sign as signWebhookBody } from './webhooks/sign.js';
export { mapJobState } from './map-job-state.js';
export { processApiMigrations } from './migrations/index.js';
export { permissions, type Permission } from './workspace-keys.js';
export { processApiContract, processApiOpenApi } from './contract.js';
export { createProcesses, type Process, type Processes } from './processes.js';
export { createWorkspaceKeys, type WorkspaceKey, type WorkspaceKeys } from './workspace-keys.js';
export { triggerCurl } from './trigger-curl.js';
export { processApi } from './adapter.js';
