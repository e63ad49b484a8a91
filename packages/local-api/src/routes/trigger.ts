import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Core, InputFile } from '@botgate/core';
import { describeRequest, idempotencyKeyOf, type InputOf } from '@botgate/http';
import type { localApiContract } from '../contract.js';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import multer from 'multer';
import { LocalApiError } from '../errors.js';
import { allocateMsUnixTime, msUnixTimeOfJob } from '../ms-unix-time.js';
import type { Skills } from '../skills.js';
import { reservedQuery } from './query.js';
import { createUploadStorage } from './upload-storage.js';

export interface TriggerOptions {
  uploadLimit: number;
  /** Bytes of all of one request's files together. */
  uploadTotalLimit: number;
  uploadDir: string;
}

type UploadRequest = Request & { uploadTemp?: string };

/**
 * Uploads go to a temp folder of this request on the data disk (so moving them into the job's
 * folder is a rename), and that folder is removed whatever happens: a refused or cut-off upload
 * leaves no partial file behind.
 */
export const receiveUploads = (options: TriggerOptions): RequestHandler[] => {
  const upload = multer({
    storage: createUploadStorage(options.uploadTotalLimit),
    limits: { fileSize: options.uploadLimit, fieldSize: 1024 * 1024, fields: 1000, files: 1000, parts: 2000 },
    // Postman, curl and browsers send UTF-8 file names without saying so.
    defParamCharset: 'utf8',
  }).any();
  return [
    async (req: Request, res: Response, next: NextFunction) => {
      if (!req.is('multipart/form-data')) return next();
      await mkdir(options.uploadDir, { recursive: true });
      const temp = await mkdtemp(join(options.uploadDir, 'request-'));
      (req as UploadRequest).uploadTemp = temp;
      res.once('close', () => void rm(temp, { recursive: true, force: true }));
      upload(req, res, next);
    },
  ];
};

const textFields = (body: unknown): Array<[string, unknown]> =>
  typeof body === 'object' && body !== null ? Object.entries(body as Record<string, unknown>) : [];

/** `GET|POST /api?uuid=`: queue the skill; answer its `msUnixTime` once the job is committed. */
export const trigger =
  (core: Core, skills: Skills) =>
  async (req: Request, res: Response, input: InputOf<typeof localApiContract.trigger>) => {
    const { uuid } = input.query;
    const skill = await skills.find(uuid);
    if (!skill) throw new LocalApiError('NOT_FOUND', `no skill with uuid ${uuid} is added to the API`);
    describeRequest(res, { automationId: skill.automationId });
    const key = idempotencyKeyOf(req);

    // Entries, not assignments: a field named `__proto__` is a field, and must not set a prototype.
    const inputs: Record<string, unknown> = Object.fromEntries([
      ...Object.entries(req.query).filter(([name]) => !reservedQuery.has(name)),
      ...textFields(req.body),
    ]);
    const uploaded = (req.files as Express.Multer.File[] | undefined) ?? [];
    const files: InputFile[] = uploaded.map((file) => ({ name: file.originalname, path: file.path, move: true }));

    const { job, record: msUnixTime } = await core.jobs.enqueueRecorded({
      automationId: skill.automationId,
      adapter: 'local-api',
      plainInputs: inputs,
      // EMILY has no declared inputs: fields a skill does not declare still reach it in input.json.
      allowUnknownInputs: true,
      files,
      idempotencyKey: key,
      record: (tx, created) => allocateMsUnixTime(tx, uuid, created.id),
      recordOf: (first) => msUnixTimeOfJob(core, first.id),
    });
    describeRequest(res, { jobId: job.id });
    if (msUnixTime === undefined)
      throw new LocalApiError(
        'NOT_FOUND',
        `the Idempotency-Key was used for job ${job.id}, which is not a local API job`,
      );
    res.json({ msUnixTime });
  };
