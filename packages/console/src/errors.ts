import type { Logger, StorageHealth } from '@botgate/core';
import { baseStatuses, createPlainErrorHandler, HttpError, type HttpErrorCode } from '@botgate/http';

export type ConsoleErrorCode = HttpErrorCode | 'TOO_MANY_REQUESTS';

export class ConsoleError extends HttpError<ConsoleErrorCode> {}

const statuses: Readonly<Record<string, number>> = { ...baseStatuses, TOO_MANY_REQUESTS: 429 };

/** The console's API answers errors as `{ error, message }`, like the other botgate routes. */
export const createConsoleErrorHandler = (logger: Logger, storage?: StorageHealth) =>
  createPlainErrorHandler('console', statuses, logger, storage);
