import { join } from 'node:path';
import { startAdapter } from '@botgate/conformance';
import type { Core, Job } from '@botgate/core';
import { useTestRoot, waitFor } from '@botgate/testing';
import { createSkills, localApi } from '../src/index.js';

export const examples = new URL('../../../examples', import.meta.url).pathname;

export interface Harness {
  core: Core;
  url: string;
  dataDir: string;
  uuidOf: (automationId: string) => Promise<string>;
  close: () => Promise<void>;
}

const { root, cleanups } = useTestRoot('botgate-local-api-');
let made = 0;

/**
 * The adapter alone, in a bare express app on a free port, over a real core on a fresh database
 * (the conformance kit's `startAdapter`): what a user embedding the adapter as a library gets.
 */
export const startLocalApi = async (
  options: { userId?: string; token?: string; allow?: string[]; uploadLimit?: number } = {},
  catalogDir = examples,
): Promise<Harness> => {
  const { uploadLimit, ...settings } = options;
  const started = await startAdapter(localApi, {
    settings,
    catalogDir,
    dataDir: join(root, `data-${++made}`),
    ...(uploadLimit === undefined ? {} : { shared: { uploadLimit, uploadTotalLimit: 4 * uploadLimit } }),
  });
  cleanups.push(async () => {
    await started.close();
    await started.database.drop();
  });
  const skills = createSkills(started.core);
  const uuids = new Map<string, string>();
  return {
    core: started.core,
    dataDir: started.dataDir,
    url: started.url,
    async uuidOf(automationId) {
      let uuid = uuids.get(automationId);
      if (!uuid) uuids.set(automationId, (uuid = (await skills.add(automationId)).uuid));
      return uuid;
    },
    close: started.close,
  };
};

export { waitFor };

export const waitForFinal = (core: Core, id: number): Promise<Job> => core.jobs.wait(id, { timeoutMs: 20_000 });

/** A multipart body written by hand, for what fetch's FormData will not send (odd names, cut-off bodies). */
export const multipart = (
  boundary: string,
  parts: Array<{ name: string; filename?: string; content: string | Buffer }>,
  { end = true } = {},
): Buffer =>
  // A file name starting with `*=` is sent in RFC 5987 form (filename*=utf-8''…), which can carry any byte.
  Buffer.concat([
    ...parts.flatMap((part) => [
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"${part.filename === undefined ? '' : part.filename.startsWith('*=') ? `; filename*=utf-8''${part.filename.slice(2)}` : `; filename="${part.filename}"`}\r\n${part.filename === undefined ? '' : 'Content-Type: application/octet-stream\r\n'}\r\n`,
      ),
      Buffer.isBuffer(part.content) ? part.content : Buffer.from(part.content),
      Buffer.from('\r\n'),
    ]),
    Buffer.from(end ? `--${boundary}--\r\n` : ''),
  ]);
