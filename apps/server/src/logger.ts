import { pino, type Logger } from 'pino';

/**
 * JSON lines on stdout for the server; CLI commands log to stderr, so `--json` output on stdout
 * stays one clean document.
 */
export const createLogger = (level: string, destination: 'stdout' | 'stderr' = 'stdout'): Logger =>
  pino({ level, base: { service: 'botgate' } }, pino.destination(destination === 'stdout' ? 1 : 2));
