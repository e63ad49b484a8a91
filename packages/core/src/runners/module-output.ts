import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createLiveLog } from './live-log.js';
import { createLogCapture } from './log-capture.js';

export type ModuleOutput = ReturnType<typeof createModuleOutput>;

/**
 * What a module job prints, kept as a command's output is: the last `limit` bytes as the job's log,
 * and everything as it comes in the live log file that the console streams while the job runs.
 */
export const createModuleOutput = (limit: number, livePath: string) => {
  const log = createLogCapture(limit);
  let live: ReturnType<typeof createLiveLog> | undefined;
  let writes = 0;
  let onWrite: (() => void) | undefined;
  return {
    /** Cleared when the run has ended: what its module prints later is no longer this job's. */
    open: true,
    write(bytes: Uint8Array): void {
      const chunk = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      log.write(chunk);
      if (live === undefined) {
        // Made at the first byte: most module jobs print nothing and have no folder of their own.
        // Synchronous, once per job; a folder that cannot be made costs the live view, not the job.
        try {
          mkdirSync(dirname(livePath), { recursive: true });
        } catch {
          // createLiveLog's stream fails to open and stops writing.
        }
        live = createLiveLog(livePath);
      }
      live.write(chunk);
      writes += 1;
      onWrite?.();
    },
    /** Resolves once `count` writes have come: a thread's output may arrive after its result. */
    async received(count: number): Promise<void> {
      while (writes < count) await new Promise<void>((resolve) => (onWrite = resolve));
      onWrite = undefined;
    },
    text: (): string => log.text(),
    end(): void {
      this.open = false;
      live?.end();
    },
  };
};
