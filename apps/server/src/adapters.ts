import type { AdapterDescriptor, Core, Logger } from '@botgate/core';
import {
  apiTaskDescriptor,
  createApiTaskAccess,
  createApiTaskRouter,
  createCallbackDispatcher,
  type ApiTaskAccess,
} from '@botgate/api-task';
import { createLocalApiRouter, localApiDescriptor } from '@botgate/local-api';
import { createProcessApiDescriptor, createProcessApiRouter, createWebhookDispatcher } from '@botgate/process-api';
import type { Router } from 'express';
import type { Config } from './load-config.js';
import type { Metrics } from './metrics.js';

/** The address clients use, for URLs the CLI prints. */
const publicUrlOf = (config: Config): string =>
  (
    config.processApi.publicUrl ?? `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}`
  ).replace(/\/$/, '');

/** Every adapter the server speaks, in the order their routers are mounted. */
export const adaptersOf = (config: Config): AdapterDescriptor[] => [
  localApiDescriptor,
  createProcessApiDescriptor({ baseUrl: publicUrlOf(config), workspaceId: config.processApi.workspaceId }),
  apiTaskDescriptor,
];

/** The api-task users, tokens and allocations, one instance for its router and the console. */
export const createApiTaskAccessOf = (core: Core, config: Config): ApiTaskAccess =>
  createApiTaskAccess(core, {
    jwtSecret: config.jwtSecret,
    tokenLifetimeMs: config.apiTask.tokenLifetime,
    executionTokenLifetimeMs: config.apiTask.executionTokenLifetime,
    loginAttempts: config.apiTask.loginAttempts,
    loginAttemptsPerUser: config.apiTask.loginAttemptsPerUser,
    loginAttemptsPerAddress: config.apiTask.loginAttemptsPerAddress,
    loginWindowMs: config.apiTask.loginWindow,
  });

/** Each adapter's router over the core, given its slice of the configuration. */
export const createAdapterRouters = (
  core: Core,
  config: Config,
  logger: Logger,
  apiTaskAccess: ApiTaskAccess,
): Router[] => [
  createLocalApiRouter(core, {
    userId: config.localApi.userId,
    token: config.localApi.token,
    allow: config.localApi.allow,
    uploadLimit: config.uploadLimit,
    uploadTotalLimit: config.uploadTotalLimit ?? 4 * config.uploadLimit,
    logger,
  }),
  createProcessApiRouter(core, {
    workspaceId: config.processApi.workspaceId,
    bodyLimit: config.processApi.bodyLimit,
    uploadLimit: config.uploadLimit,
    publicUrl: config.processApi.publicUrl,
    logger,
  }),
  createApiTaskRouter(core, {
    access: apiTaskAccess,
    realtimeLimitMs: config.apiTask.realtimeLimit,
    publicUrl: config.apiTask.publicUrl,
    logger,
  }),
];

/** Adapters' background work (webhooks, deploy callbacks); started with the workers, stopped before the core closes. */
export const startAdapterServices = (
  core: Core,
  config: Config,
  logger: Logger,
  metrics: Metrics,
): { stop(): Promise<void> } => {
  const webhooks = createWebhookDispatcher(core, {
    workspaceId: config.processApi.workspaceId,
    pollMs: config.poll,
    retryBaseMs: config.processApi.webhookRetry,
    logger,
    onAttempt: metrics.webhookAttempt,
  });
  const callbacks = createCallbackDispatcher(core, {
    pollMs: config.poll,
    retryBaseMs: config.apiTask.callbackRetry,
    logger,
  });
  webhooks.start();
  callbacks.start();
  return { stop: async () => void (await Promise.all([webhooks.stop(), callbacks.stop()])) };
};
