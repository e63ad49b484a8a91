import { defineAdapter, settingTypes } from '@botgate/http';
import { z } from 'zod';
import { createUipathPanel } from './console-panel.js';
import { createUipathRouter, uipathPaths } from './create-uipath-router.js';
import { uipathDescriptor } from './descriptor.js';
import { createUipathWebhookDispatcher, deliveryLogOf } from './webhooks/create-webhook-dispatcher.js';

/** UiPath Orchestrator's job API (`/api/Account`, `/identity_`, `/odata`), as the server registers it. */
export const uipath = defineAdapter({
  name: 'uipath',
  section: 'uipath',
  settings: z
    .strictObject({
      /** The tenancy `Account/Authenticate` takes. @default 'Default' */
      tenancyName: z.string().min(1).default('Default'),
      /** A password sign-in's token lifetime. @default 30m */
      tokenLifetime: settingTypes.duration.default(1_800_000),
      /** An external application's token lifetime. @default 1h */
      appTokenLifetime: settingTypes.duration.default(3_600_000),
      /** Bytes of a JSON request body. @default 1048576 */
      bodyLimit: settingTypes.positiveInt.default(1024 * 1024),
      /** The first retry of a webhook delivery waits this long, each next one twice as long. @default 5s */
      webhookRetry: settingTypes.duration.default(5000),
    })
    .prefault({}),
  describe: () => uipathDescriptor,
  start: ({ core, settings, shared, logger, directory, onDeliveryAttempt }) => ({
    router: createUipathRouter(core, {
      tenancyName: settings.tenancyName,
      tokenLifetimeMs: settings.tokenLifetime,
      appTokenLifetimeMs: settings.appTokenLifetime,
      bodyLimit: settings.bodyLimit,
      directory,
      logger,
    }),
    paths: uipathPaths,
    services: createUipathWebhookDispatcher(core, {
      pollMs: shared.pollMs,
      retryBaseMs: settings.webhookRetry,
      logger,
      onAttempt: onDeliveryAttempt,
    }),
    deliveries: { what: 'webhook', log: deliveryLogOf(core) },
    console: createUipathPanel(core),
  }),
});
