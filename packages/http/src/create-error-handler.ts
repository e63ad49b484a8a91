import { isBotgateError, storageFailureOf, unstorableTextOf, type Logger, type StorageHealth } from '@botgate/core';
import type { ErrorRequestHandler, Request } from 'express';
import { HttpError } from './http-error.js';
import { baseStatuses } from './statuses.js';

interface ParserError {
  status?: number;
  type?: string;
  code?: string;
  message?: string;
}

/** Errors of express's body parsers and multer, which carry their own status, type or code, as ours. */
export const fromParserError = (error: ParserError): HttpError | undefined => {
  if (error.code === 'LIMIT_FILE_SIZE')
    return new HttpError('PAYLOAD_TOO_LARGE', `a file is larger than the upload limit: ${error.message ?? ''}`.trim());
  if (typeof error.code === 'string' && error.code.startsWith('LIMIT_'))
    return new HttpError('PAYLOAD_TOO_LARGE', `upload refused: ${error.message}`);
  if (error.type === 'entity.too.large' || error.status === 413)
    return new HttpError('PAYLOAD_TOO_LARGE', 'request body is larger than the limit');
  if (error.type === 'entity.parse.failed')
    return new HttpError('BAD_REQUEST', `body is not valid JSON: ${error.message}`);
  // express's router, for a path segment that is not valid percent-encoding.
  if (error.status === 400 && error.message?.startsWith('Failed to decode param'))
    return new HttpError('BAD_REQUEST', `malformed URL: ${error.message}`);
  if (error.status === 415) return new HttpError('UNSUPPORTED_MEDIA_TYPE', error.message ?? 'unsupported content type');
  if (
    (typeof error.status === 'number' && error.status >= 400 && error.status < 500) ||
    /unexpected end of form|malformed|boundary|multipart/i.test(error.message ?? '')
  ) {
    return new HttpError('BAD_REQUEST', `malformed request body: ${error.message}`);
  }
  return undefined;
};

export interface ErrorHandlerOptions {
  /** The adapter's one table from error codes (core's and its own) to statuses. */
  statuses: Readonly<Record<string, number>>;
  /** The contract's error body. */
  body: (error: { code: string; message: string; details: string }) => object;
  /** Answered for anything unknown, which is also logged with its cause; a function makes one per answer (a trace id). */
  internal: object | (() => object);
  logger: Logger;
  adapter: string;
  /** Told of the storage failures met at the edge (an upload on a full disk), so the node turns unready. */
  storage?: Pick<StorageHealth, 'noteFailure'> | undefined;
}

/** The path as the client sent it (under a router, `req.path` is only the part below its mount point), without the query, where secrets travel. */
const pathOf = (req: Request): string => req.originalUrl.split('?')[0] ?? req.path;

/** The client hung up before its request was read (an aborted upload): nobody is left to answer, and nothing is wrong here. */
const clientWentAway = (error: ParserError, req: Request): boolean =>
  req.readableAborted ||
  error.type === 'request.aborted' ||
  error.message === 'Request aborted' ||
  error.code === 'ECONNRESET';

/**
 * The final error middleware of an adapter: known errors in its contract's shape, the rest a
 * logged 500. Only those reach the log at `error`: what the client got wrong is in the request
 * line (status 4xx), a client that hung up is noted at `info`.
 */
export const createErrorHandler =
  (options: ErrorHandlerOptions): ErrorRequestHandler =>
  (error, req, res, _next) => {
    if (clientWentAway(error as ParserError, req)) {
      options.logger.info(
        { adapter: options.adapter, method: req.method, path: pathOf(req), reason: (error as ParserError).message },
        'the client closed the connection before its request was read',
      );
      return;
    }
    // A write that failed for want of storage (a full disk under an upload) is answered as such, never as a 500.
    const storageFailure = isBotgateError(error) ? undefined : storageFailureOf(error);
    if (storageFailure) options.storage?.noteFailure(storageFailure);
    const known =
      error instanceof HttpError || isBotgateError(error)
        ? error
        : (storageFailure ?? unstorableTextOf(error) ?? fromParserError(error as ParserError));
    if (res.headersSent) return;
    if (!known) {
      const body = typeof options.internal === 'function' ? options.internal() : options.internal;
      // The answer is logged with the error: a trace id the caller quotes finds its cause.
      options.logger.error(
        { err: error, adapter: options.adapter, method: req.method, path: pathOf(req), answer: body },
        'unexpected error',
      );
      res.status(500).json(body);
      return;
    }
    if (known instanceof HttpError) res.set(known.headers);
    const details =
      known instanceof HttpError
        ? known.details
        : typeof known.details.variable === 'string'
          ? known.details.variable
          : '';
    res
      .status(options.statuses[known.code] ?? 500)
      .json(options.body({ code: known.code, message: known.message, details }));
  };

/**
 * Errors as `{ error, message }`, botgate's own shape where a vendor defines none (EMILY's and
 * Robocorp's APIs, the console).
 */
export const createPlainErrorHandler = (
  adapter: string,
  statuses: Readonly<Record<string, number>>,
  logger: Logger,
  storage?: ErrorHandlerOptions['storage'],
): ErrorRequestHandler =>
  createErrorHandler({
    statuses,
    body: ({ code, message }) => ({ error: code, message }),
    internal: { error: 'INTERNAL', message: 'internal error; see the server log' },
    logger,
    adapter,
    storage,
  });

/**
 * The error middleware factory of a contract whose errors are `{ error, message }`: the shared
 * statuses and the contract's own codes (`extra`).
 */
export const plainErrorHandler =
  (adapter: string, extra: Readonly<Record<string, number>> = {}) =>
  (logger: Logger, storage?: ErrorHandlerOptions['storage']): ErrorRequestHandler =>
    createPlainErrorHandler(adapter, { ...baseStatuses, ...extra }, logger, storage);
