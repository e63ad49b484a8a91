import type { Logger, StorageHealth } from '@botgate/core';
import { baseStatuses, createPlainErrorHandler, HttpError, type HttpErrorCode } from '@botgate/http';

/** Robocorp's 409: a work item in the wrong state for the call (a retry of one not FAILED, a file for one already in a run). */
export type ProcessApiErrorCode = HttpErrorCode | 'CONFLICT';

export class ProcessApiError extends HttpError<ProcessApiErrorCode> {}

/** The one table from error codes (core's, the HTTP edge's and ours) to HTTP statuses. */
const statuses: Readonly<Record<string, number>> = { ...baseStatuses, CONFLICT: 409 };

/** Every error as `{ error, message }` with its status; anything unknown is logged and answered 500. */
export const createProcessApiErrorHandler = (logger: Logger, storage?: StorageHealth) =>
  createPlainErrorHandler('process-api', statuses, logger, storage);
