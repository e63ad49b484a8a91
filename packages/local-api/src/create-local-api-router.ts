import { join } from 'node:path';
import { silentLogger, type Core, type Logger } from '@botgate/core';
import express, { type NextFunction, type Request, type RequestHandler, type Response, Router } from 'express';
import { requireAllowedAddress, requireToken } from './access.js';
import { createErrorHandler, LocalApiError } from './errors.js';
import { getJob } from './routes/get-job.js';
import { getJobFile } from './routes/get-job-file.js';
import { getOverview } from './routes/get-overview.js';
import { receiveUploads, trigger } from './routes/trigger.js';
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
  /** Where uploads wait until their job is queued; on the same disk as the job folders. @default '<dataDir>/uploads' */
  uploadDir?: string;
  /** @default a silent logger */
  logger?: Logger;
}

/** Async handlers whose rejection reaches the error handler (express 5 does this itself; named for clarity). */
const handle = (fn: (req: Request, res: Response) => Promise<void>): RequestHandler => (req, res, next) => fn(req, res).catch(next);

const methodNotAllowed = (allowed: string): RequestHandler => (req, _res, next) =>
  next(new LocalApiError('METHOD_NOT_ALLOWED', `${req.method} is not allowed here; use ${allowed}`, { Allow: allowed }));

/** Request bodies EMILY's callers send: multipart (files and fields), form fields, or JSON fields. */
const parseBody: RequestHandler[] = [
  express.urlencoded({ extended: false, limit: '1mb' }),
  express.json({ limit: '1mb' }),
  (req: Request, _res: Response, next: NextFunction) => {
    const hasBody = Number(req.get('content-length') ?? 0) > 0 || req.get('transfer-encoding') !== undefined;
    if (hasBody && !req.is(['multipart/form-data', 'application/x-www-form-urlencoded', 'application/json'])) {
      next(new LocalApiError('UNSUPPORTED_MEDIA_TYPE', `send multipart/form-data (files and fields), a form or JSON, not ${req.get('content-type') ?? 'an untyped body'}`));
      return;
    }
    next();
  },
];

/**
 * EMILY.RPA's API Trigger over a botgate core: `GET /api`, `GET|POST /api?uuid=`,
 * `GET /api/job?uuid=&msUnixTime=` and `GET /api/job/files/<name>`. Mount it at the root.
 */
export const createLocalApiRouter = (core: Core, options: LocalApiOptions = {}): Router => {
  const skills = createSkills(core);
  const uploads = { uploadLimit: options.uploadLimit ?? 50 * 1024 * 1024, uploadDir: options.uploadDir ?? join(core.options.dataDir, 'uploads') };
  const overview = getOverview(core, options.userId ?? 'botgate');
  const triggerSkill = trigger(core, skills);
  const router = Router();
  if (options.allow !== undefined) router.use('/api', requireAllowedAddress(options.allow));
  if (options.token !== undefined) router.use('/api', requireToken(options.token));

  router
    .route('/api')
    .get(handle((req, res) => (req.query.uuid === undefined ? overview(req, res) : triggerSkill(req, res))))
    .post(...receiveUploads(uploads), ...parseBody, handle(triggerSkill))
    .all(methodNotAllowed('GET, POST'));
  router.route('/api/job').get(handle(getJob(core, skills))).all(methodNotAllowed('GET'));
  router.route('/api/job/files/*name').get(handle(getJobFile(core, skills))).all(methodNotAllowed('GET'));
  router.use('/api', (req, _res, next) => next(new LocalApiError('NOT_FOUND', `no local API route ${req.method} ${req.originalUrl.split('?')[0]}`)));
  router.use('/api', createErrorHandler(options.logger ?? silentLogger));
  return router;
};
