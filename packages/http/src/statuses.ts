import type { ErrorCode } from '@botgate/core';

/** Codes the HTTP edge itself raises, shared by the adapters. */
export type HttpErrorCode =
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE';

/**
 * The statuses every adapter gives core's errors and the HTTP edge's own; an adapter's table
 * spreads this and adds (or overrides) its vendor's codes.
 */
export const baseStatuses: Readonly<Record<ErrorCode | HttpErrorCode, number>> = {
  BAD_REQUEST: 400,
  INVALID_CONFIG: 400,
  INVALID_MANIFEST: 500,
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
  JOB_LOST: 503,
  STORAGE_FULL: 507,
  STORAGE_UNAVAILABLE: 503,
  INVALID_TRANSITION: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  SHUTTING_DOWN: 503,
  DATABASE_NEWER: 503,
  CONCURRENCY_LIMIT: 429,
  INVALID_TEXT: 400,
  STALE_READ: 503,
};
