import { join } from 'node:path';
import { silentLogger, type Core, type Logger } from '@botgate/core';
import {
  acceptBodies,
  describeRequest,
  jsonBody,
  mountRoutes,
  operation,
  receiveUploads,
  type InputOf,
} from '@botgate/http';
import { parse as parseQueryString } from 'node:querystring';
import express, { type RequestHandler, Router } from 'express';
import { requireAllowedAddress, requireToken } from './access.js';
import { localApiContract } from './contract.js';
import { createLocalApiErrorHandler, LocalApiError } from './errors.js';
import { getJob } from './routes/get-job.js';
import { getJobFile } from './routes/get-job-file.js';
import { getOverview } from './routes/get-overview.js';
import { trigger } from './routes/trigger.js';
import { createSkills } from './skills.js';

export interface LocalApiOptions {
  /** Shown by `GET /api`. @default 'botgate' */
  userId?: string;
  /** When set, every call needs `Authorization: Bearer <token>` or `?token=`. @default undefined (EMILY has none) */
  token?: string | undefined;
  /** When set, only callers from these addresses or CIDR ranges. @default undefined (everyone) */
  allow?: readonly string[] | undefined;
  /** Bytes per uploaded file. @default 52428800 (50 MiB) */
  uploadLimit?: number;
  /** Bytes of one request's files together. @default 4 × uploadLimit */
  uploadTotalLimit?: number;
  /** Where uploads wait until their job is queued; on the same disk as the job folders. @default '<dataDir>/uploads' */
  uploadDir?: string;
  /** @default a silent logger */
  logger?: Logger;
}

/** Where EMILY's API Trigger answers: every path under it is the local API's. */
export const localApiPaths = ['/api'] as const;

/** Request bodies EMILY's callers send: multipart (files and fields), form fields, or JSON fields. */
const parseBody = (maxDepth: number): RequestHandler[] => [
  // Read by node's querystring, not express's qs, which drops a field named `__proto__`.
  express.text({ type: 'application/x-www-form-urlencoded', limit: '1mb' }),
  (req, _res, next) => {
    if (req.is('application/x-www-form-urlencoded') && typeof req.body === 'string')
      req.body = parseQueryString(req.body, '&', '=', { maxKeys: 1000 });
    next();
  },
  ...jsonBody({ limit: '1mb', maxDepth }),
  acceptBodies(
    ['multipart/form-data', 'application/x-www-form-urlencoded', 'application/json'],
    'send multipart/form-data (files and fields), a form or JSON',
  ),
];

/**
 * EMILY.RPA's API Trigger over a botgate core: `GET /api`, `GET|POST /api?uuid=`,
 * `GET /api/job?uuid=&msUnixTime=` and `GET /api/job/files/<name>`. Mount it at the root.
 */
export const createLocalApiRouter = (core: Core, options: LocalApiOptions = {}): Router => {
  const skills = createSkills(core);
  const uploadLimit = options.uploadLimit ?? 50 * 1024 * 1024;
  const uploads = {
    uploadLimit,
    uploadTotalLimit: options.uploadTotalLimit ?? 4 * uploadLimit,
    uploadDir: options.uploadDir ?? join(core.options.dataDir, 'uploads'),
  };
  const overview = getOverview(core, options.userId ?? 'botgate');
  const triggerSkill = trigger(core, skills);
  const router = Router();
  router.use('/api', operation('local-api', 'other'));
  if (options.allow !== undefined) router.use('/api', requireAllowedAddress(options.allow));
  if (options.token !== undefined) router.use('/api', requireToken(options.token));

  mountRoutes(router, 'local-api', [
    {
      ...localApiContract.overviewOrTrigger,
      handler: async (req, res, input) => {
        // Without a uuid it is EMILY's queue overview, with one a trigger.
        if (req.query.uuid !== undefined)
          return triggerSkill(req, res, input as InputOf<typeof localApiContract.trigger>);
        describeRequest(res, { adapter: 'local-api', operation: 'overview' });
        return overview(req, res);
      },
    },
    {
      ...localApiContract.trigger,
      before: [...receiveUploads(uploads), ...parseBody(core.options.jsonDepth)],
      handler: triggerSkill,
    },
    { ...localApiContract.status, handler: getJob(core, skills) },
    { ...localApiContract.file, handler: getJobFile(core, skills) },
  ]);
  router.use('/api', (req, _res, next) =>
    next(new LocalApiError('NOT_FOUND', `no local API route ${req.method} ${req.originalUrl.split('?')[0]}`)),
  );
  router.use('/api', createLocalApiErrorHandler(options.logger ?? silentLogger, core.storage));
  return router;
};
