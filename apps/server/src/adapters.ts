import type { AdapterDescriptor, Core, Logger } from '@botgate/core';
import { createLocalApiRouter, localApiDescriptor } from '@botgate/local-api';
import type { Router } from 'express';
import type { Config } from './load-config.js';

/** Every adapter the server speaks, in the order their routers are mounted. */
export const adapters: readonly AdapterDescriptor[] = [localApiDescriptor];

/** Each adapter's router over the core, given its slice of the configuration. */
export const createAdapterRouters = (core: Core, config: Config, logger: Logger): Router[] => [
  createLocalApiRouter(core, {
    userId: config.localApi.userId,
    token: config.localApi.token,
    allow: config.localApi.allow,
    uploadLimit: config.uploadLimit,
    logger,
  }),
];
