import { pino, type Logger } from 'pino';

/**
 * JSON lines on stdout for the server; CLI commands log to stderr, so `--json` output on stdout
 * stays one clean document. The server logs a line per request, so its lines are buffered (a
 * write per line was a system call per request) and flushed every 250 ms, at `flush()` and on exit.
 */
export const createLogger = (level: string, destination: 'stdout' | 'stderr' = 'stdout'): Logger => {
  if (destination === 'stderr') return pino({ level, base: { service: 'botgate' } }, pino.destination(2));
  const stream = pino.destination({ dest: 1, sync: false, minLength: 8 * 1024 });
  setInterval(() => stream.flush(), 250).unref();
  // A crash or process.exit() still writes what is buffered.
  process.once('exit', () => stream.flushSync());
  return pino({ level, base: { service: 'botgate' } }, stream);
};
