import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The HS256 key for api-task tokens: configured, or made once into `<dataDir>/api-task-jwt.key`
 * (readable by its owner only). Created with O_EXCL, so two processes starting at once agree.
 */
export const loadSigningKey = (dataDir: string, configured?: string): Buffer => {
  if (configured !== undefined) return Buffer.from(configured);
  const path = join(dataDir, 'api-task-jwt.key');
  try {
    return Buffer.from(readFileSync(path, 'utf8').trim(), 'base64url');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dirname(path), { recursive: true });
  try {
    writeFileSync(path, randomBytes(64).toString('base64url'), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return Buffer.from(readFileSync(path, 'utf8').trim(), 'base64url');
};
