import { expect } from 'vitest';
import type { z } from 'zod';

/** The answer's body, checked against the schema its route documents: nothing missing, nothing more. */
export const documented = async (answer: Response, schema: z.ZodType | undefined): Promise<unknown> => {
  const body: unknown = await answer.json();
  expect(schema, 'the route documents its body').toBeDefined();
  const parsed = (schema as z.ZodType).safeParse(body);
  expect(parsed.error?.issues ?? []).toEqual([]);
  // zod drops keys it does not know: what it kept is all there was when nothing is undocumented.
  expect(parsed.data).toEqual(body);
  return body;
};
