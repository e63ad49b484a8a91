import type { z } from 'zod';
import { HttpError } from './http-error.js';

/**
 * A request part checked against its schema, or 400 whose message names the field of the first
 * problem (`page.length: …`, or `body.page.length: …` with `where`), as vendors' validation
 * errors do; the field is also the error's `details`.
 */
export const parseInput = <T extends z.ZodType>(schema: T, value: unknown, where?: string): z.output<T> => {
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.join('.') ?? '';
  const named = [where, field].filter((part) => part !== undefined && part !== '').join('.');
  throw new HttpError('BAD_REQUEST', `${named ? `${named}: ` : ''}${issue?.message ?? 'invalid input'}`, {}, field);
};
