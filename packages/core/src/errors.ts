/**
 * Stable codes of every error the core raises. Adapters map each code to their vendor's
 * status and body in one table; core itself knows no status codes.
 */
export const errorCodes = [
  'INVALID_CONFIG',
  'INVALID_MANIFEST',
  'AUTOMATION_NOT_FOUND',
  'JOB_NOT_FOUND',
  'INVALID_TRANSITION',
  'INVALID_VARIABLE',
  'UNKNOWN_VARIABLE',
  'MISSING_VARIABLE',
  'INVALID_FILE',
  'SHUTTING_DOWN',
  'NOT_CANCELABLE',
  'JOB_LOST',
  'STORAGE_FULL',
  'STORAGE_UNAVAILABLE',
  'DATABASE_NEWER',
  'CONCURRENCY_LIMIT',
  'INVALID_TEXT',
  // A record read from memory changed before the write that acted on it (confirmHeld):
  // the adapter asks again and never answers it; 503 should one ever reach a caller.
  'STALE_READ',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export class BotgateError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}, options?: ErrorOptions) {
    super(message, options);
    this.name = 'BotgateError';
    this.code = code;
    this.details = details;
  }
}

/** A value that does not fit its declared type; callers answer it as a client error naming `variable`. */
export class VariableError extends BotgateError {
  constructor(
    code: 'INVALID_VARIABLE' | 'UNKNOWN_VARIABLE' | 'MISSING_VARIABLE',
    readonly variable: string,
    message: string,
    details: Record<string, unknown> = {},
  ) {
    super(code, message, { variable, ...details });
    this.name = 'VariableError';
  }
}

export class InvalidTransitionError extends BotgateError {
  constructor(
    readonly from: string,
    readonly to: string,
    jobId?: number,
  ) {
    super('INVALID_TRANSITION', `a job cannot go from ${from} to ${to}`, { from, to, jobId });
    this.name = 'InvalidTransitionError';
  }
}

export const isBotgateError = (error: unknown): error is BotgateError => error instanceof BotgateError;
