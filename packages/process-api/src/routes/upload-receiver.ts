import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Request, RequestHandler, Response } from 'express';
import multer from 'multer';
import { ProcessApiError } from '../errors.js';
import type { FileGrants, UploadClaims } from '../file-grants.js';
import type { WorkItems } from '../work-items.js';

type Received = Request & { grant?: UploadClaims };

/**
 * The grant is read from the fields, which come before the file (as in an S3 POST): a file with
 * no valid grant before it is refused before a byte is kept, and one longer than its grant's
 * size is cut off and removed.
 */
const grantedStorage = (grants: FileGrants, tempDir: string): multer.StorageEngine => ({
  _handleFile(req, file, done) {
    const request = req as Received;
    const refuse = (error: unknown) => {
      file.stream.resume();
      done(error as Error);
    };
    grants
      .verify((req.body as Record<string, unknown> | undefined)?.grant, 'upload')
      .then(async (grant) => {
        request.grant = grant;
        await mkdir(tempDir, { recursive: true });
        const path = join(tempDir, randomUUID());
        let size = 0;
        const count = new Transform({
          transform(chunk: Buffer, _encoding, next) {
            size += chunk.length;
            if (size > grant.fileSize)
              next(
                new ProcessApiError(
                  'PAYLOAD_TOO_LARGE',
                  `the file is larger than the ${grant.fileSize} bytes its upload was granted for`,
                ),
              );
            else next(null, chunk);
          },
        });
        try {
          await pipeline(file.stream, count, createWriteStream(path));
        } catch (error) {
          await rm(path, { force: true });
          throw error;
        }
        done(null, { path, size });
      })
      .catch(refuse);
  },
  _removeFile(_req, file, done) {
    rm(file.path, { force: true }).then(() => done(null), done);
  },
});

/**
 * `POST /process-v1/uploads`: where the fields and file of `files/upload` are posted, with no
 * workspace key (the grant is the credential). Answers 204 like S3; the file is the work item's
 * once its grant is marked used, in the same transaction.
 */
export const uploadReceiver = (
  grants: FileGrants,
  workItems: WorkItems,
  tempDir: string,
  uploadLimit: number,
): { before: RequestHandler[]; handler: (req: Request, res: Response) => Promise<void> } => ({
  before: [
    multer({
      storage: grantedStorage(grants, tempDir),
      limits: { files: 1, fields: 20, fieldSize: 64 * 1024, fileSize: uploadLimit },
    }).single('file'),
  ],
  async handler(req: Request, res: Response) {
    const request = req as Received;
    const file = req.file;
    if (!file || !request.grant)
      throw new ProcessApiError(
        'BAD_REQUEST',
        'post the fields of the upload request, then the file in a part named "file"',
      );
    try {
      const grant = request.grant;
      const item = await workItems.find(grant.processId, grant.workItemId);
      if (!item) throw new ProcessApiError('NOT_FOUND', `work item ${grant.workItemId} no longer exists`);
      await workItems.addFile(item, grant.fileName, file.path, file.size, (tx) => grants.useOnce(tx, grant));
      res.status(204).end();
    } finally {
      await rm(file.path, { force: true });
    }
  },
});
