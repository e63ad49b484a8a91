import { defineAdapter, settingTypes, type SharedSettings } from '@botgate/http';
import { z } from 'zod';
import { createProcessApiRouter, processApiPaths } from './create-process-api-router.js';
import { createProcessApiPanel } from './console-panel.js';
import { createProcessApiDescriptor } from './descriptor.js';
import { createWebhookDispatcher, deliveryLogOf } from './webhooks/create-webhook-dispatcher.js';

const settings = z
  .strictObject({
    /** The workspace every automation belongs to. @default an id made once and kept */
    workspaceId: z
      .string()
      .regex(/^[\w-]{1,64}$/, 'use 1 to 64 letters, digits, _ or -')
      .optional(),
    /** Bytes of a JSON request body. @default 1048576 */
    bodyLimit: settingTypes.positiveInt.default(1024 * 1024),
    /** The first webhook retry waits this long, each next one twice as long. @default 5s */
    webhookRetry: settingTypes.duration.default(5000),
    /** The URL printed in `process-api secret`'s curl line. @default http://<host>:<port> */
    publicUrl: z.url().optional(),
  })
  .prefault({});

/** The address clients use, for the URLs the CLI prints. */
const publicUrlOf = (publicUrl: string | undefined, shared: SharedSettings): string =>
  (publicUrl ?? `http://${shared.host === '0.0.0.0' ? '127.0.0.1' : shared.host}:${shared.port}`).replace(/\/$/, '');

/** Robocorp's Process API (`/workspace-v1`, `/process-v1`) and its completion webhooks, as the server registers them. */
export const processApi = defineAdapter({
  name: 'process-api',
  section: 'processApi',
  settings,
  describe: (own, shared) =>
    createProcessApiDescriptor({ baseUrl: publicUrlOf(own.publicUrl, shared), workspaceId: own.workspaceId }),
  start: ({ core, settings: own, shared, logger, onDeliveryAttempt }) => ({
    router: createProcessApiRouter(core, {
      workspaceId: own.workspaceId,
      bodyLimit: own.bodyLimit,
      uploadLimit: shared.uploadLimit,
      publicUrl: own.publicUrl,
      logger,
    }),
    paths: processApiPaths,
    services: createWebhookDispatcher(core, {
      workspaceId: own.workspaceId,
      pollMs: shared.pollMs,
      retryBaseMs: own.webhookRetry,
      logger,
      onAttempt: onDeliveryAttempt,
    }),
    deliveries: { what: 'webhook', log: deliveryLogOf(core) },
    console: createProcessApiPanel(core, { workspaceId: own.workspaceId, publicUrl: own.publicUrl }),
  }),
});
