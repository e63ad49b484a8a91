import type { Request } from 'express';
import { z } from 'zod';
import { HttpError } from './http-error.js';

/** The `Idempotency-Key` header as route tables document it. */
export const idempotencyKeyHeader = z.string().min(1).max(200).optional().meta({
  description:
    'A retried trigger with the same key, within the idempotency window (24 h by default), answers the same run and queues nothing',
});

/** A trigger's `Idempotency-Key`: 1 to 200 characters, or absent; anything else is a 400 in the adapter's shape. */
export const idempotencyKeyOf = (req: Request): string | undefined => {
  const key = req.get('idempotency-key');
  if (key !== undefined && !idempotencyKeyHeader.safeParse(key).success)
    throw new HttpError('BAD_REQUEST', 'Idempotency-Key must be 1 to 200 characters');
  return key;
};
