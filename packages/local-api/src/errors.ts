import { isBotgateError, type ErrorCode, type Logger } from '@botgate/core';
import type { ErrorRequestHandler } from 'express';

/** Errors only this adapter raises (HTTP concerns core does not know). */
export type LocalApiErrorCode =
  | 'BAD_REQUEST'
  | 'NOT_FOUND'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'METHOD_NOT_ALLOWED'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE';

export class LocalApiError extends Error {
  constructor(
    readonly code: LocalApiErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'LocalApiError';
  }
}

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

interface HttpLikeError {
  status?: number;
  type?: string;
  code?: string;
  message?: string;
}

/** Errors of the body parsers and multer, which carry their own status or code. */
const fromParser = (error: HttpLikeError): LocalApiError | undefined => {
  if (error.code === 'LIMIT_FILE_SIZE') return new LocalApiError('PAYLOAD_TOO_LARGE', `a file is larger than the upload limit: ${error.message ?? ''}`.trim());
  if (typeof error.code === 'string' && error.code.startsWith('LIMIT_')) return new LocalApiError('PAYLOAD_TOO_LARGE', `upload refused: ${error.message}`);
  if (error.status === 413 || error.type === 'entity.too.large') return new LocalApiError('PAYLOAD_TOO_LARGE', 'request body is larger than the limit');
  if (error.status === 415) return new LocalApiError('UNSUPPORTED_MEDIA_TYPE', error.message ?? 'unsupported content type');
  if (error.status === 400 || /unexpected end of form|malformed|boundary|multipart/i.test(error.message ?? '')) {
    return new LocalApiError('BAD_REQUEST', `malformed request body: ${error.message}`);
  }
  return undefined;
};

/** Answers every error as `{ error, message }` with its status; anything unknown is logged and answered 500. */
export const createErrorHandler = (logger: Logger): ErrorRequestHandler => (error, req, res, _next) => {
  const known = error instanceof LocalApiError || isBotgateError(error) ? error : fromParser(error as HttpLikeError);
  if (res.headersSent) return;
  if (!known) {
    logger.error({ err: error, method: req.method, path: req.path }, 'local-api: unexpected error');
    res.status(500).json({ error: 'INTERNAL', message: 'internal error; see the server log' });
    return;
  }
  if (known instanceof LocalApiError) res.set(known.headers);
  res.status(statuses[known.code] ?? 500).json({ error: known.code, message: known.message });
};
