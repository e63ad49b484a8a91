import { nestsDeeperThan } from '@botgate/core';
import type { IncomingMessage } from 'node:http';
import express, { type RequestHandler } from 'express';
import { HttpError } from './http-error.js';

export interface JsonBodyOptions {
  /** Bytes at most (express's `limit`). */
  limit: number | string;
  /** Arrays and objects nested this deep at most (`jsonDepth`, core's options). */
  maxDepth: number;
  /** Only objects and arrays at the top (express's `strict`). @default true */
  strict?: boolean;
  /** Read a body sent with no Content-Type as JSON too (Python's `requests.post(data=json.dumps(…))` sends none). @default false */
  untyped?: boolean;
}

const jsonOrUntyped = (req: IncomingMessage): boolean => {
  const type = req.headers['content-type'];
  return type === undefined || /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(type);
};

/**
 * A JSON body, parsed and then measured for depth before any handler recurses into it: 2,000
 * levels fit in a 1 MiB body and overflowed the stack of the variable conversion (a 500).
 */
export const jsonBody = (options: JsonBodyOptions): RequestHandler[] => [
  express.json({
    limit: options.limit,
    strict: options.strict ?? true,
    ...(options.untyped ? { type: jsonOrUntyped } : {}),
  }),
  (req, _res, next) => {
    if (
      (req.is('application/json') || (options.untyped && req.headers['content-type'] === undefined)) &&
      nestsDeeperThan(req.body, options.maxDepth)
    ) {
      next(
        new HttpError(
          'BAD_REQUEST',
          `the JSON body nests deeper than ${options.maxDepth} levels, the limit (jsonDepth)`,
        ),
      );
    } else next();
  },
];
