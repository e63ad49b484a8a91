import { HttpError, plainErrorHandler, type HttpErrorCode } from '@botgate/http';

/** Robocorp's 409: a work item in the wrong state for the call (a retry of one not FAILED, a file for one already in a run). */
export type ProcessApiErrorCode = HttpErrorCode | 'CONFLICT';

export class ProcessApiError extends HttpError<ProcessApiErrorCode> {}

/** Every error as `{ error, message }` with its status; anything unknown is logged and answered 500. */
export const createProcessApiErrorHandler = plainErrorHandler('process-api', { CONFLICT: 409 });
