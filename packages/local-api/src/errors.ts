import { HttpError, plainErrorHandler, type HttpErrorCode } from '@botgate/http';

/** Errors only this adapter raises (HTTP concerns core does not know): the shared codes. */
export class LocalApiError extends HttpError<HttpErrorCode> {}

/** Every error as `{ error, message }` with its status; anything unknown is logged and answered 500. */
export const createLocalApiErrorHandler = plainErrorHandler('local-api');
