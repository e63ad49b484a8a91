import { defineAdapter, settingTypes } from '@botgate/http';
import { z } from 'zod';
import { createCallbackDispatcher, deliveryLogOf } from './callback-dispatcher.js';
import { createApiTaskPanel } from './console-panel.js';
import { apiTaskPaths, createApiTaskRouter } from './create-api-task-router.js';
import { apiTaskDescriptor } from './descriptor.js';
import { createApiTaskAccess } from './execution-access.js';

const settings = z
  .strictObject({
    /** A user token's lifetime. @default 20m */
    tokenLifetime: settingTypes.duration.default(1_200_000),
    /** An execution token's lifetime. @default 12h */
    executionTokenLifetime: settingTypes.duration.default(43_200_000),
    /** The real-time limit of one execution. @default 60s */
    realtimeLimit: settingTypes.duration.default(60_000),
    /** Base of the execution URLs handed out. @default the address each request came to */
    publicUrl: z.url().optional(),
    /** Failed sign-ins per user from one address within `loginWindow` before 429. @default 5 */
    loginAttempts: settingTypes.positiveInt.default(5),
    /** Failed sign-ins per user from all addresses within `loginWindow` before 429. @default 20 */
    loginAttemptsPerUser: settingTypes.positiveInt.default(20),
    /** Failed sign-ins from one address for all users within `loginWindow` before 429 (password spraying). @default 20 */
    loginAttemptsPerAddress: settingTypes.positiveInt.default(20),
    /** @default 15m */
    loginWindow: settingTypes.duration.default(900_000),
    /** The first retry of a deploy's callback waits this long, each next one twice as long. @default 5s */
    callbackRetry: settingTypes.duration.default(5000),
    /** Bytes of a JSON request body. @default 1048576 */
    bodyLimit: settingTypes.positiveInt.default(1024 * 1024),
  })
  .prefault({});

/** Automation Anywhere's Control Room (`/v1/authentication`, `/orchestrator/v1/hotbot`, `/hotbot`, deploys), as the server registers it. */
export const apiTask = defineAdapter({
  name: 'api-task',
  section: 'apiTask',
  settings,
  describe: () => apiTaskDescriptor,
  start: ({ core, settings: own, shared, logger, onDeliveryAttempt }) => {
    // One access for the router and the console: an allocation changed in the console applies at
    // once, and failed sign-ins count together.
    const access = createApiTaskAccess(core, {
      jwtSecret: shared.jwtSecret,
      tokenLifetimeMs: own.tokenLifetime,
      executionTokenLifetimeMs: own.executionTokenLifetime,
      loginAttempts: own.loginAttempts,
      loginAttemptsPerUser: own.loginAttemptsPerUser,
      loginAttemptsPerAddress: own.loginAttemptsPerAddress,
      loginWindowMs: own.loginWindow,
    });
    return {
      router: createApiTaskRouter(core, {
        access,
        realtimeLimitMs: own.realtimeLimit,
        publicUrl: own.publicUrl,
        bodyLimit: own.bodyLimit,
        logger,
      }),
      paths: apiTaskPaths,
      services: createCallbackDispatcher(core, {
        pollMs: shared.pollMs,
        retryBaseMs: own.callbackRetry,
        logger,
        onAttempt: onDeliveryAttempt,
      }),
      deliveries: { what: 'deploy callback', log: deliveryLogOf(core) },
      console: createApiTaskPanel(core, access, { publicUrl: own.publicUrl }),
      // Another vendor's password sign-in takes these users, with this check and limit.
      directory: {
        signIn: (username: string, password: string, address: string | undefined) =>
          access.signIn({ username, password }, address),
        find: (id: number) => access.users.find(id),
      },
    };
  },
});
