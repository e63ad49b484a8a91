import type { ErrorCode, Logger } from '@botgate/core';
import { createErrorHandler, HttpError } from '@botgate/http';

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

export class ApiTaskError extends HttpError<ApiTaskErrorCode> {}

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

/** Errors in Automation Anywhere's shape, `{ code, details, message }`; anything unknown is logged and answered 500. */
export const createApiTaskErrorHandler = (logger: Logger) =>
  createErrorHandler({
    statuses,
    body: ({ code, details, message }) => ({ code, details, message }),
    internal: { code: 'INTERNAL', details: '', message: 'internal error; see the server log' },
    logger,
    adapter: 'api-task',
  });
