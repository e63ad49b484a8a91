import { acceptBodies, jsonBody } from '@botgate/http';
import type { RequestHandler } from 'express';
import type { JsonValue } from '@botgate/core';
import { ProcessApiError } from '../errors.js';

/**
 * JSON only, as Robocorp requires; an empty body is the empty payload `{}`. With `untyped`, a body
 * without a Content-Type is JSON too: `RPA.Robocorp.Process` sends run-request and upload requests so.
 */
export const readJsonBody = (limit: number, maxDepth: number, { untyped = false } = {}): RequestHandler[] => [
  acceptBodies(['application/json'], 'send Content-Type: application/json', { untyped }),
  ...jsonBody({ limit, maxDepth, strict: false, untyped }),
];

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The work item payload of one run: a JSON object, or an array (one work item whose payload is
 * that array, as Robocorp takes it; `RPA.Robocorp.Process` sends `[]` for no payload). process-v1
 * clients may wrap an object as `{ "variables": { … } }`, which is unwrapped there.
 */
export const payloadOf = (
  body: unknown,
  { unwrapVariables }: { unwrapVariables: boolean },
  where = 'the body',
): JsonValue => {
  // `[]` is "no work items" to the library: a run with an empty work item, as its docs say.
  if (body === undefined || (Array.isArray(body) && body.length === 0)) return {};
  if (Array.isArray(body)) return body as JsonValue;
  if (!isObject(body))
    throw new ProcessApiError(
      'BAD_REQUEST',
      `${where} must be a JSON object or array (the work item payload), not ${body === null ? 'null' : typeof body}`,
    );
  if (unwrapVariables && Object.keys(body).length === 1 && isObject(body.variables)) return body.variables as JsonValue;
  return body as JsonValue;
};
