import type { Logger, StorageHealth } from '@botgate/core';
import { baseStatuses, createPlainErrorHandler, HttpError, type HttpErrorCode } from '@botgate/http';

export type ProcessApiErrorCode = HttpErrorCode;

export class ProcessApiError extends HttpError<ProcessApiErrorCode> {}

/** The one table from error codes (core's, the HTTP edge's and ours) to HTTP statuses: the shared one. */
const statuses: Readonly<Record<string, number>> = baseStatuses;

/** Every error as `{ error, message }` with its status; anything unknown is logged and answered 500. */
export const createProcessApiErrorHandler = (logger: Logger, storage?: StorageHealth) => createPlainErrorHandler('process-api', statuses, logger, storage);
