import type { Request, RequestHandler, Response, Router } from 'express';
import type { z } from 'zod';
import { handle, methodNotAllowed } from './guards.js';
import { HttpError } from './http-error.js';
import { describeRequest } from './request-facts.js';
import { parseRouteInput, type RouteInput } from './route-input.js';

export type HttpMethod = 'get' | 'post' | 'put' | 'delete' | 'patch';

export interface ResponseSpec {
  description: string;
  /** The body's schema; absent for a body of another kind (`contentType`) or none. */
  schema?: z.ZodType;
  /** @default 'application/json' when there is a schema */
  contentType?: string;
  headers?: Record<string, string>;
}

export interface BodySpec {
  /** One schema per media type the route reads. */
  content: Record<string, z.ZodType>;
  required?: boolean;
}

/** What a contract says of one route: the router mounts it, the OpenAPI document describes it. */
export interface RouteDoc {
  method: HttpMethod;
  /** Express path (`/hotbot/:allocationId/execute`, `/api/job/files/*name`). */
  path: string;
  /** The kind of call: the metrics label and the OpenAPI operationId's last word. */
  operation: string;
  summary: string;
  description?: string;
  /** Names of the document's security schemes, any one of which is accepted. */
  security?: string[];
  params?: z.ZodObject;
  query?: z.ZodObject;
  headers?: z.ZodObject;
  body?: BodySpec;
  responses: Record<number, ResponseSpec>;
}

/** A documented route with what answers it; the router and the document come from the same `RouteDoc`. */
export interface RouteSpec extends RouteDoc {
  /** Middleware before the handler (authentication, body parsers). */
  before?: RequestHandler[];
  /** Given the path parameters, query and headers its schemas parsed (see `InputOf` for their types). */
  handler(req: Request, res: Response, input: RouteInput): Promise<void>;
}

/**
 * A route's first step: it names the call (the request log, the metrics) and refuses a URL that
 * holds a NUL (`%00`). No id, name or filter of any contract holds one, and PostgreSQL refuses it
 * in a text parameter, which would make a lookup by it a 500 instead of the contract's answer.
 * Before the route's own middleware, which may look a path parameter up (an allocation, a token).
 */
const begin = (adapter: string, name: string): RequestHandler => {
  // One object per route: describeRequest copies it into the request's own facts.
  const facts = { adapter, operation: name };
  return (req, res, next) => {
    describeRequest(res, facts);
    if (req.url.includes('%00'))
      next(new HttpError('BAD_REQUEST', 'the URL holds a NUL character (%00), which no path or query value may hold'));
    else next();
  };
};

/**
 * Mounts a contract's routes in order, each path answering 405 with `Allow` for other methods.
 * Its handler is given the path parameters, query and headers parsed with its schemas when it
 * reads them (after it has checked the caller), a mismatch answering 400 in the adapter's shape.
 */
export const mountRoutes = (router: Router, adapter: string, routes: readonly RouteSpec[]): void => {
  const byPath = new Map<string, RouteSpec[]>();
  for (const route of routes) byPath.set(route.path, [...(byPath.get(route.path) ?? []), route]);
  for (const [path, specs] of byPath) {
    const chain = router.route(path);
    for (const spec of specs)
      chain[spec.method](
        begin(adapter, spec.operation),
        ...(spec.before ?? []),
        handle((req, res) => spec.handler(req, res, parseRouteInput(spec, req))),
      );
    chain.all(methodNotAllowed(specs.map((spec) => spec.method.toUpperCase()).join(', ')));
  }
};
