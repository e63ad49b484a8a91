import type { z } from 'zod';
import { ApiTaskError } from '../errors.js';

/** Validates a JSON body; the message names the field, as the vendor's validation errors do. */
export const parseBody = <T extends z.ZodType>(schema: T, body: unknown): z.output<T> => {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') ?? '';
    throw new ApiTaskError('BAD_REQUEST', `${field ? `${field}: ` : ''}${issue?.message ?? 'invalid body'}`, {}, field);
  }
  return parsed.data;
};
