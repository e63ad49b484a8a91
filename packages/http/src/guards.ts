import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { HttpError } from './http-error.js';

/** An async handler whose rejection reaches the error middleware. */
export const handle =
  (fn: (req: Request, res: Response) => Promise<void>): RequestHandler =>
  (req, res, next) =>
    fn(req, res).catch(next);

/** The answer for any other method on a route: 405 with an `Allow` header. */
export const methodNotAllowed =
  (allowed: string): RequestHandler =>
  (req, _res, next) =>
    next(new HttpError('METHOD_NOT_ALLOWED', `${req.method} is not allowed here; use ${allowed}`, { Allow: allowed }));

/** A request that has a body of none of these types (nor, with `untyped`, of no type at all) is refused with 415 before anything reads it. */
export const acceptBodies =
  (types: string[], advice: string, { untyped = false } = {}): RequestHandler =>
  (req: Request, _res: Response, next: NextFunction) => {
    const hasBody = Number(req.get('content-length') ?? 0) > 0 || req.get('transfer-encoding') !== undefined;
    if (hasBody && !req.is(types) && !(untyped && req.get('content-type') === undefined))
      next(new HttpError('UNSUPPORTED_MEDIA_TYPE', `${advice}, not ${req.get('content-type') ?? 'an untyped body'}`));
    else next();
  };
