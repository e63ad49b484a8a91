import { isBotgateError, type ErrorCode, type Logger } from '@botgate/core';
import type { ErrorRequestHandler } from 'express';

export type ProcessApiErrorCode = 'BAD_REQUEST' | 'NOT_FOUND' | 'UNAUTHORIZED' | 'FORBIDDEN' | 'METHOD_NOT_ALLOWED' | 'PAYLOAD_TOO_LARGE' | 'UNSUPPORTED_MEDIA_TYPE';

export class ProcessApiError extends Error {
  constructor(
    readonly code: ProcessApiErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ProcessApiError';
  }
}

/** The one table from error codes (core's and ours) to HTTP statuses. */
const statuses: Partial<Record<ErrorCode | ProcessApiErrorCode, number>> = {
  BAD_REQUEST: 400,
  INVALID_VARIABLE: 400,
  UNKNOWN_VARIABLE: 400,
  MISSING_VARIABLE: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  AUTOMATION_NOT_FOUND: 404,
  JOB_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  SHUTTING_DOWN: 503,
};

/** express.json's errors carry a status and a type; they become ours. */
const fromBodyParser = (error: { status?: number; type?: string; message?: string }): ProcessApiError | undefined => {
  if (error.type === 'entity.too.large' || error.status === 413) return new ProcessApiError('PAYLOAD_TOO_LARGE', 'request body is larger than the limit');
  if (error.type === 'entity.parse.failed') return new ProcessApiError('BAD_REQUEST', `body is not valid JSON: ${error.message}`);
  if (typeof error.status === 'number' && error.status >= 400 && error.status < 500) return new ProcessApiError('BAD_REQUEST', error.message ?? 'bad request');
  return undefined;
};

/** Every error as `{ error, message }` with its status; anything unknown is logged and answered 500. */
export const createErrorHandler = (logger: Logger): ErrorRequestHandler => (error, req, res, _next) => {
  const known = error instanceof ProcessApiError || isBotgateError(error) ? error : fromBodyParser(error as { status?: number });
  if (res.headersSent) return;
  if (!known) {
    logger.error({ err: error, method: req.method, path: req.path }, 'process-api: unexpected error');
    res.status(500).json({ error: 'INTERNAL', message: 'internal error; see the server log' });
    return;
  }
  if (known instanceof ProcessApiError) res.set(known.headers);
  res.status(statuses[known.code] ?? 500).json({ error: known.code, message: known.message });
};
