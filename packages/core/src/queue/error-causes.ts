/**
 * An error and the errors it wraps, outermost first (knex and the runners wrap the driver's
 * error in their own), at most five deep; with each one's `code` where it has a string one.
 */
export const causesOf = function* (error: unknown): Generator<{ cause: unknown; code: string | undefined }> {
  let cause = error;
  for (let depth = 0; cause !== undefined && cause !== null && depth < 5; depth += 1) {
    const code = (cause as { code?: unknown }).code;
    yield { cause, code: typeof code === 'string' ? code : undefined };
    cause = (cause as { cause?: unknown }).cause;
  }
};
