import { createWriteStream, type WriteStream } from 'node:fs';

/** Past this many bytes the live file stops growing; the job's own log keeps the tail. */
const liveLogLimit = 8 * 1024 * 1024;

/**
 * A running command's output as it comes, in a file of its job's folder, so the console can show
 * it while the job runs. Opened at the first byte: a silent command costs no file.
 */
export const createLiveLog = (path: string) => {
  let file: WriteStream | undefined;
  let written = 0;
  return {
    write(chunk: Buffer): void {
      if (written >= liveLogLimit) return;
      file ??= createWriteStream(path, { flags: 'a' }).on('error', () => {
        // A full disk stops the live view, never the job.
        written = liveLogLimit;
      });
      const part = chunk.subarray(0, liveLogLimit - written);
      written += part.length;
      file.write(part);
      if (written >= liveLogLimit)
        file.write(`\n[live log stops here at ${liveLogLimit} bytes; the job keeps the last part of its output]\n`);
    },
    end(): void {
      file?.end();
    },
  };
};
