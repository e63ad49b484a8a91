import { acceptBodies, jsonBody } from '@botgate/http';
import type { Request, RequestHandler } from 'express';
import { ProcessApiError } from '../errors.js';

/** JSON only, as Robocorp requires; an empty body is the empty payload `{}`. */
export const readJsonBody = (limit: number, maxDepth: number): RequestHandler[] => [
  acceptBodies(['application/json'], 'send Content-Type: application/json'),
  ...jsonBody({ limit, maxDepth, strict: false }),
];

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The work item payload of one run: a JSON object. process-v1 clients may wrap it as
 * `{ "variables": { … } }`, which is unwrapped there.
 */
export const payloadOf = (body: unknown, { unwrapVariables }: { unwrapVariables: boolean }, where = 'the body'): Record<string, unknown> => {
  if (body === undefined) return {};
  if (!isObject(body)) throw new ProcessApiError('BAD_REQUEST', `${where} must be a JSON object (the work item payload), not ${Array.isArray(body) ? 'an array' : typeof body}`);
  if (unwrapVariables && Object.keys(body).length === 1 && isObject(body.variables)) return body.variables;
  return body;
};

export const idempotencyKeyOf = (req: Request): string | undefined => {
  const key = req.get('idempotency-key');
  if (key !== undefined && (key === '' || key.length > 200)) throw new ProcessApiError('BAD_REQUEST', 'Idempotency-Key must be 1 to 200 characters');
  return key;
};
