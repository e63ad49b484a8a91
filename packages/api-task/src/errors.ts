import type { Logger, StorageHealth } from '@botgate/core';
import { baseStatuses, createErrorHandler, HttpError, type HttpErrorCode } from '@botgate/http';

export type ApiTaskErrorCode =
  HttpErrorCode | 'TOO_MANY_REQUESTS' | 'BOT_EXECUTION_FAILED' | 'BOT_EXECUTION_TIMEOUT' | 'BOT_EXECUTION_CANCELED';

export class ApiTaskError extends HttpError<ApiTaskErrorCode> {}

/** The one table from error codes (core's, the HTTP edge's and ours) to HTTP statuses. */
const statuses: Readonly<Record<string, number>> = {
  ...baseStatuses,
  BOT_EXECUTION_FAILED: 422,
  BOT_EXECUTION_CANCELED: 409,
  TOO_MANY_REQUESTS: 429,
  BOT_EXECUTION_TIMEOUT: 504,
};

/** Errors in Automation Anywhere's shape, `{ code, details, message }`; anything unknown is logged and answered 500. */
export const createApiTaskErrorHandler = (logger: Logger, storage?: StorageHealth) =>
  createErrorHandler({
    statuses,
    body: ({ code, details, message }) => ({ code, details, message }),
    internal: { code: 'INTERNAL', details: '', message: 'internal error; see the server log' },
    logger,
    adapter: 'api-task',
    storage,
  });
