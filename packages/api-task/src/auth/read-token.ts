import type { Request } from 'express';
import { ApiTaskError } from '../errors.js';

/** `X-Authorization: <token>` or `Authorization: Bearer <token>`; both at once is a client error, as the vendor's. */
export const readToken = (req: Request): string => {
  const x = req.get('x-authorization');
  const authorization = req.get('authorization');
  if (x !== undefined && authorization !== undefined) {
    throw new ApiTaskError('BAD_REQUEST', 'send either X-Authorization or Authorization: Bearer, not both');
  }
  const token = x ?? authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (!token)
    throw new ApiTaskError(
      'UNAUTHORIZED',
      'authenticate first: send X-Authorization: <token> (or Authorization: Bearer <token>)',
    );
  return token;
};
