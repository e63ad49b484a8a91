import { join } from 'node:path';
import type { Response } from 'express';

/**
 * Sends a file of a job's folder as a download under its own base name. `name` is relative to
 * `dir` with `/` (as jobs list their files); a file gone from the disk becomes `missing()`.
 */
export const sendJobFile = (res: Response, dir: string, name: string, missing: () => Error): Promise<void> =>
  new Promise((resolve, reject) =>
    res.download(join(dir, ...name.split('/')), name.split('/').at(-1) as string, { dotfiles: 'allow' }, (error) =>
      error && !res.headersSent ? reject(missing()) : resolve(),
    ),
  );
