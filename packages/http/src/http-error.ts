/**
 * An error an adapter raises at its HTTP edge (a missing token, a wrong method): a stable code
 * that the adapter's table maps to a status, and headers the answer must carry.
 */
export class HttpError<Code extends string = string> extends Error {
  readonly headers: Record<string, string>;
  /** The field or variable concerned, for contracts whose errors name it. */
  readonly details: string;

  constructor(
    readonly code: Code,
    message: string,
    headers: Record<string, string> = {},
    details = '',
  ) {
    super(message);
    this.name = 'HttpError';
    this.headers = headers;
    this.details = details;
  }
}
