import { randomBytes } from 'node:crypto';
import type { Logger, StorageHealth } from '@botgate/core';
import { baseStatuses, createErrorHandler, HttpError, type HttpErrorCode } from '@botgate/http';
import type { ErrorRequestHandler } from 'express';

/** Orchestrator's own failures beside the shared ones: a folder the header names that does not exist. */
export type UipathErrorCode = HttpErrorCode | 'FOLDER_NOT_FOUND' | 'TOO_MANY_REQUESTS';

export class UipathError extends HttpError<UipathErrorCode> {}

const statuses: Readonly<Record<string, number>> = { ...baseStatuses, FOLDER_NOT_FOUND: 400, TOO_MANY_REQUESTS: 429 };

/**
 * Orchestrator's `errorCode`s (API guide, response codes): 1000 a bad request or bad
 * credentials, 1002 an item that does not exist, 1100 a folder that does not exist; 0 for what
 * Orchestrator answers without one (401).
 */
const errorCodeOf = (code: string, status: number): number => {
  if (code === 'FOLDER_NOT_FOUND') return 1100;
  if (status === 404) return 1002;
  if (status === 400) return 1000;
  return 0;
};

/** A W3C trace id, as Orchestrator's `traceId` is. */
const traceId = (): string => `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-00`;

/** Every error as Orchestrator's `{ message, errorCode, traceId }`; anything unknown is logged and answered 500. */
export const createUipathErrorHandler = (
  logger: Logger,
  storage?: Pick<StorageHealth, 'noteFailure'>,
): ErrorRequestHandler =>
  createErrorHandler({
    statuses,
    body: ({ code, message }) => ({ message, errorCode: errorCodeOf(code, statuses[code] ?? 500), traceId: traceId() }),
    internal: () => ({
      message: 'An error has occurred; see the botgate server log.',
      errorCode: 0,
      traceId: traceId(),
    }),
    logger,
    adapter: 'uipath',
    storage,
  });
