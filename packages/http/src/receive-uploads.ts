import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import multer from 'multer';
import { createUploadStorage } from './upload-storage.js';

/** Limits and place of a route's file uploads. */
export interface UploadOptions {
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
export const receiveUploads = (options: UploadOptions): RequestHandler[] => {
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

/** The files `receiveUploads` took, as core stages them: moved (a rename) into the job's folder. */
export const uploadedFiles = (req: Request): Array<{ name: string; path: string; move: true }> =>
  ((req.files as Express.Multer.File[] | undefined) ?? []).map((file) => ({
    name: file.originalname,
    path: file.path,
    move: true,
  }));
