import type { Request } from 'express';
import { z } from 'zod';
import { HttpError } from './http-error.js';

/** A route's path parameters, query and headers, as its table's schemas parsed them. */
export interface RouteInput {
  params: Record<string, unknown>;
  query: Record<string, unknown>;
  headers: Record<string, unknown>;
}

type Parsed<Schema> = Schema extends z.ZodType ? z.output<Schema> : Record<string, never>;

/** What a route's handler is given, typed by its `RouteDoc`'s schemas. */
export interface InputOf<Doc extends { params?: z.ZodType; query?: z.ZodType; headers?: z.ZodType }> {
  params: Parsed<Doc['params']>;
  query: Parsed<Doc['query']>;
  headers: Parsed<Doc['headers']>;
}

const english = z.locales.en();

// One error map per part, made once: a new closure per call was garbage on every request.
const errorMaps = new Map<string, (issue: z.core.$ZodRawIssue) => string>();
const errorMapOf = (part: string) => {
  let map = errorMaps.get(part);
  if (!map) {
    map = (issue) => {
      const text = english.localeError(issue);
      return `${part} "${(issue.path ?? []).join('.')}": ${typeof text === 'string' ? text : (text?.message ?? 'invalid')}`;
    };
    errorMaps.set(part, map);
  }
  return map;
};

/**
 * One part checked against its schema, or 400. A schema's own message is the answer as it is
 * written (a contract's words); zod's default ones name the part and the field.
 */
const parsePart = (schema: z.ZodType, value: unknown, part: string): Record<string, unknown> => {
  const parsed = schema.safeParse(value, { error: errorMapOf(part) });
  if (parsed.success) return parsed.data as Record<string, unknown>;
  const issue = parsed.error.issues[0];
  throw new HttpError('BAD_REQUEST', issue?.message ?? `${part} is invalid`, {}, issue?.path.join('.') ?? '');
};

/** Headers by the names a schema documents them (`Idempotency-Key`), read case-insensitively. */
const headersOf = (schema: z.ZodType, req: Request): Record<string, unknown> =>
  schema instanceof z.ZodObject
    ? Object.fromEntries(Object.keys(schema.shape).map((name) => [name, req.get(name)]))
    : {};

/** Express 5 hands a wildcard (`*name`) over as its segments; the table documents the path they make. */
const pathParams = (req: Request): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(req.params as Record<string, string | string[]>).map(([name, value]) => [
      name,
      Array.isArray(value) ? value.join('/') : value,
    ]),
  );

type PartSchemas = { params?: z.ZodType; query?: z.ZodType; headers?: z.ZodType };

/** Getters on a class, not accessors defined per object: the input of every request is one such object. */
class LazyRouteInput implements RouteInput {
  #params: Record<string, unknown> | undefined;
  #query: Record<string, unknown> | undefined;
  #headers: Record<string, unknown> | undefined;
  readonly #doc: PartSchemas;
  readonly #req: Request;
  constructor(doc: PartSchemas, req: Request) {
    this.#doc = doc;
    this.#req = req;
  }
  get params(): Record<string, unknown> {
    return (this.#params ??= this.#doc.params
      ? parsePart(this.#doc.params, pathParams(this.#req), 'path parameter')
      : pathParams(this.#req));
  }
  get query(): Record<string, unknown> {
    return (this.#query ??= this.#doc.query
      ? parsePart(this.#doc.query, this.#req.query, 'query parameter')
      : (this.#req.query as Record<string, unknown>));
  }
  get headers(): Record<string, unknown> {
    return (this.#headers ??= this.#doc.headers
      ? parsePart(this.#doc.headers, headersOf(this.#doc.headers, this.#req), 'header')
      : {});
  }
}

/**
 * A route's input, each part parsed when the handler first reads it: a handler that checks the
 * caller first (a key, a secret) answers 401 before a malformed parameter's 400, as before.
 */
export const parseRouteInput = (doc: PartSchemas, req: Request): RouteInput => new LazyRouteInput(doc, req);

/** A query parameter given once, as non-empty text: its schema, with the answers a caller reads. */
export const queryParam = (name: string) =>
  z
    .string({
      error: (issue) =>
        issue.input === undefined
          ? `query parameter "${name}" is required`
          : `query parameter "${name}" must be given once, as text`,
    })
    .min(1, `query parameter "${name}" is required`);
