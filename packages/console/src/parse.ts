import type { z } from 'zod';
import { ConsoleError } from './errors.js';

/** A request part checked against its schema; the first problem is the answer's message. */
export const parse = <T extends z.ZodType>(schema: T, value: unknown, what = 'body'): z.output<T> => {
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${what}.${issue.path.join('.')}` : what;
  throw new ConsoleError('BAD_REQUEST', `${where}: ${issue?.message ?? 'invalid'}`);
};
