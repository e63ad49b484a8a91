import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Request } from 'express';
import multer from 'multer';

type Received = Request & { uploadTemp?: string; uploadedBytes?: number };

/**
 * Multer's disk storage with a cap on a request's total bytes, which multer does not have (its
 * `fileSize` is per file, and a thousand files of the limit each were accepted). Past the cap the
 * file being written fails with multer's own kind of limit error (a 413 at the edge), its partial
 * file is removed, and multer removes the files already written.
 */
export const createUploadStorage = (totalLimit: number): multer.StorageEngine => {
  let made = 0;
  return {
    _handleFile(req, file, done) {
      const request = req as Received;
      const path = join(request.uploadTemp as string, `${Date.now()}-${++made}`);
      let size = 0;
      const count = new Transform({
        transform(chunk: Buffer, _encoding, next) {
          size += chunk.length;
          request.uploadedBytes = (request.uploadedBytes ?? 0) + chunk.length;
          if (request.uploadedBytes > totalLimit) {
            next(
              Object.assign(new Error(`the request's files are over ${totalLimit} bytes together (uploadTotalLimit)`), {
                code: 'LIMIT_TOTAL_SIZE',
              }),
            );
          } else next(null, chunk);
        },
      });
      pipeline(file.stream, count, createWriteStream(path)).then(
        () =>
          done(null, {
            destination: request.uploadTemp as string,
            filename: path.slice(path.lastIndexOf('/') + 1),
            path,
            size,
          }),
        (error: unknown) => {
          file.stream.resume();
          void rm(path, { force: true }).finally(() => done(error as Error));
        },
      );
    },
    _removeFile(_req, file, done) {
      rm(file.path, { force: true }).then(() => done(null), done);
    },
  };
};
