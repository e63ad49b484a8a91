import { defineAdapter, settingTypes } from '@botgate/http';
import { z } from 'zod';
import { createLocalApiRouter, localApiPaths } from './create-local-api-router.js';
import { createLocalApiPanel } from './console-panel.js';
import { localApiDescriptor } from './descriptor.js';

/** EMILY.RPA's API Trigger (`/api`), as the server registers it. */
export const localApi = defineAdapter({
  name: 'local-api',
  section: 'localApi',
  settings: z
    .strictObject({
      /** Shown by `GET /api`. @default 'botgate' */
      userId: z.string().min(1).default('botgate'),
      /** When set, every call needs `Authorization: Bearer <token>` or `?token=`. */
      token: z.string().min(16, 'use a token of at least 16 characters').optional(),
      /** When set, only these addresses or CIDR ranges may call. */
      allow: settingTypes.textList.optional(),
    })
    .prefault({}),
  describe: () => localApiDescriptor,
  start: ({ core, settings, shared, logger }) => ({
    router: createLocalApiRouter(core, {
      userId: settings.userId,
      token: settings.token,
      allow: settings.allow,
      uploadLimit: shared.uploadLimit,
      uploadTotalLimit: shared.uploadTotalLimit,
      logger,
    }),
    paths: localApiPaths,
    console: createLocalApiPanel(core),
  }),
});
