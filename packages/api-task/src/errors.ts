import { isBotgateError, type ErrorCode, type Logger } from '@botgate/core';
import type { ErrorRequestHandler } from 'express';

export type ApiTaskErrorCode =
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'TOO_MANY_REQUESTS'
  | 'BOT_EXECUTION_FAILED'
  | 'BOT_EXECUTION_TIMEOUT';

export class ApiTaskError extends Error {
  constructor(
    readonly code: ApiTaskErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
    readonly details = '',
  ) {
    super(message);
    this.name = 'ApiTaskError';
  }
}

/** The one table from error codes (core's and ours) to HTTP statuses. */
const statuses: Partial<Record<ErrorCode | ApiTaskErrorCode, number>> = {
  BAD_REQUEST: 400,
  INVALID_VARIABLE: 400,
  UNKNOWN_VARIABLE: 400,
  MISSING_VARIABLE: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  AUTOMATION_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  BOT_EXECUTION_FAILED: 422,
  TOO_MANY_REQUESTS: 429,
  SHUTTING_DOWN: 503,
  BOT_EXECUTION_TIMEOUT: 504,
};

const fromBodyParser = (error: { status?: number; type?: string; message?: string }): ApiTaskError | undefined => {
  if (error.type === 'entity.too.large' || error.status === 413) return new ApiTaskError('PAYLOAD_TOO_LARGE', 'request body is larger than the limit');
  if (error.type === 'entity.parse.failed') return new ApiTaskError('BAD_REQUEST', `body is not valid JSON: ${error.message}`);
  if (typeof error.status === 'number' && error.status >= 400 && error.status < 500) return new ApiTaskError('BAD_REQUEST', error.message ?? 'bad request');
  return undefined;
};

/** Errors in Automation Anywhere's shape, `{ code, details, message }`; anything unknown is logged and answered 500. */
export const createErrorHandler = (logger: Logger): ErrorRequestHandler => (error, req, res, _next) => {
  const known = error instanceof ApiTaskError || isBotgateError(error) ? error : fromBodyParser(error as { status?: number });
  if (res.headersSent) return;
  if (!known) {
    logger.error({ err: error, method: req.method, path: req.path }, 'api-task: unexpected error');
    res.status(500).json({ code: 'INTERNAL', details: '', message: 'internal error; see the server log' });
    return;
  }
  if (known instanceof ApiTaskError) res.set(known.headers);
  const details = known instanceof ApiTaskError ? known.details : isBotgateError(known) && typeof known.details.variable === 'string' ? known.details.variable : '';
  res.status(statuses[known.code] ?? 500).json({ code: known.code, details, message: known.message });
};
