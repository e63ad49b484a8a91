import type { Logger, StorageHealth } from '@botgate/core';
import { baseStatuses, createPlainErrorHandler, HttpError, type HttpErrorCode } from '@botgate/http';

/** Errors only this adapter raises (HTTP concerns core does not know). */
export type LocalApiErrorCode = HttpErrorCode;

export class LocalApiError extends HttpError<LocalApiErrorCode> {}

/** The one table from error codes (core's, the HTTP edge's and ours) to HTTP statuses: the shared one. */
const statuses: Readonly<Record<string, number>> = baseStatuses;

/** Every error as `{ error, message }` with its status; anything unknown is logged and answered 500. */
export const createLocalApiErrorHandler = (logger: Logger, storage?: StorageHealth) =>
  createPlainErrorHandler('local-api', statuses, logger, storage);
