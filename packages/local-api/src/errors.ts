import type { ErrorCode, Logger } from '@botgate/core';
import { createErrorHandler, HttpError } from '@botgate/http';

/** Errors only this adapter raises (HTTP concerns core does not know). */
export type LocalApiErrorCode =
  | 'BAD_REQUEST'
  | 'NOT_FOUND'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'METHOD_NOT_ALLOWED'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE';

export class LocalApiError extends HttpError<LocalApiErrorCode> {}

/** The one table from error codes (core's and ours) to HTTP statuses. */
const statuses: Partial<Record<ErrorCode | LocalApiErrorCode, number>> = {
  BAD_REQUEST: 400,
  INVALID_VARIABLE: 400,
  UNKNOWN_VARIABLE: 400,
  MISSING_VARIABLE: 400,
  INVALID_FILE: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  AUTOMATION_NOT_FOUND: 404,
  JOB_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  NOT_CANCELABLE: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  SHUTTING_DOWN: 503,
};

/** Every error as `{ error, message }` with its status; anything unknown is logged and answered 500. */
export const createLocalApiErrorHandler = (logger: Logger) =>
  createErrorHandler({
    statuses,
    body: ({ code, message }) => ({ error: code, message }),
    internal: { error: 'INTERNAL', message: 'internal error; see the server log' },
    logger,
    adapter: 'local-api',
  });
