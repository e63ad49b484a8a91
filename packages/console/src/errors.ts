import { HttpError, plainErrorHandler, type HttpErrorCode } from '@botgate/http';

export type ConsoleErrorCode = HttpErrorCode | 'TOO_MANY_REQUESTS';

export class ConsoleError extends HttpError<ConsoleErrorCode> {}

/** The console's API answers errors as `{ error, message }`, like the other botgate routes. */
export const createConsoleErrorHandler = plainErrorHandler('console', { TOO_MANY_REQUESTS: 429 });
