import { pino, type Logger } from 'pino';

/**
 * JSON lines on stdout for the server; CLI commands log to stderr, so `--json` output on stdout
 * stays one clean document. The server logs a line per request, so its lines are buffered (a
 * write per line was a system call per request) and flushed every 250 ms, at `flush()` and on exit.
 * Should stdout fail (its reader gone: EPIPE), `onFailed` hears it once, and nothing more is
 * written: without a listener, the stream's error ended the process at once, with code 1 and not
 * a word, its requests unanswered and its jobs left running.
 */
export const createLogger = (
  level: string,
  destination: 'stdout' | 'stderr' = 'stdout',
  onFailed: (error: NodeJS.ErrnoException) => void = () => undefined,
): Logger => {
  if (destination === 'stderr') return pino({ level, base: { service: 'botgate' } }, pino.destination(2));
  const stream = pino.destination({ dest: 1, sync: false, minLength: 8 * 1024 });
  let failed = false;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (failed) return;
    failed = true;
    clearInterval(flushing);
    // Every logger of the process (children too) writes here: from now on, to nowhere.
    Object.assign(stream, {
      write: () => true,
      flush: (done?: (error?: Error) => void) => done?.(),
      flushSync: () => undefined,
    });
    onFailed(error);
  });
  const flushing = setInterval(() => stream.flush(), 250).unref();
  // A crash or process.exit() still writes what is buffered. (sonic-boom's flushSync retries a
  // failed write for ever: `flushLog` before a planned exit, so that a failure is heard first.)
  process.once('exit', () => stream.flushSync());
  return pino({ level, base: { service: 'botgate' } }, stream);
};

/**
 * Resolves once every line logged so far is written, or the log has failed, or after `waitMs` (a
 * reader that stopped reading): before a planned exit, so that the exit's own synchronous flush
 * has nothing left to write to a closed pipe.
 */
export const flushLog = (logger: Logger, waitMs = 2000): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, waitMs).unref();
    logger.flush(() => resolve());
  });
