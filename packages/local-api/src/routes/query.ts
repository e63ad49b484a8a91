import type { Request } from 'express';
import { LocalApiError } from '../errors.js';

/** A query parameter given once; a repeated one is ambiguous and refused. */
export const singleQuery = (req: Request, name: string): string | undefined => {
  const value = req.query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string')
    throw new LocalApiError('BAD_REQUEST', `query parameter "${name}" must be given once, as text`);
  return value;
};

export const requiredQuery = (req: Request, name: string): string => {
  const value = singleQuery(req, name);
  if (value === undefined || value === '')
    throw new LocalApiError('BAD_REQUEST', `query parameter "${name}" is required`);
  return value;
};

/** Parameters of the API itself, never input variables of the job. */
export const reservedQuery = new Set(['uuid', 'token', 'msUnixTime']);
