/**
 * Keeps the last `limit` bytes of a process's output: the end of a log is where the error is,
 * and an automation that prints without end must not grow the job row or the server's memory.
 */
export const createLogCapture = (limit: number) => {
  const chunks: Buffer[] = [];
  let size = 0;
  let dropped = 0;
  return {
    write(chunk: Buffer): void {
      chunks.push(chunk);
      size += chunk.length;
      while (size > limit && chunks.length > 0) {
        const first = chunks[0] as Buffer;
        const excess = size - limit;
        if (first.length <= excess) {
          chunks.shift();
          size -= first.length;
          dropped += first.length;
        } else {
          chunks[0] = first.subarray(excess);
          size -= excess;
          dropped += excess;
        }
      }
    },
    text(): string {
      const body = Buffer.concat(chunks).toString('utf8');
      return dropped > 0 ? `[… ${dropped} earlier bytes dropped]\n${body}` : body;
    },
  };
};

/** The last non-empty line, which is where a failing program usually says why. */
export const lastLine = (text: string): string | undefined =>
  text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .at(-1);
