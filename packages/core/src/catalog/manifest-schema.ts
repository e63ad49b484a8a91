import { z } from 'zod';
import { parseDuration } from '../duration.js';
import { variableTypes } from '../variables/index.js';

const variableType = z.enum(variableTypes, { error: () => `expected one of ${variableTypes.join(', ')}` });

export const durationSchema = z.union([z.number(), z.string()]).transform((input, ctx) => {
  const value = parseDuration(input);
  if (value === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: `expected a duration such as 30s, 5m, 2h or a number of seconds, got ${JSON.stringify(input)}`,
    });
    return z.NEVER;
  }
  return value;
});

// `name: STRING` is short for `name: { type: STRING }`; one object schema keeps the errors precise.
const shorthand = (raw: unknown) => (typeof raw === 'string' ? { type: raw } : raw);

const input = z.preprocess(
  shorthand,
  z.strictObject({
    type: variableType,
    required: z.boolean().default(false),
    default: z.unknown().optional(),
    description: z.string().optional(),
  }),
);

const output = z.preprocess(
  shorthand,
  z.strictObject({ type: variableType, description: z.string().optional() }).transform((o) => o.type),
);

const run = z.union(
  [
    z.strictObject({
      module: z.string().min(1),
      /**
       * `thread` (default): a warm worker thread per running job; a timeout stops it whatever it
       * does. `none`: the server's own thread, for short trusted functions that never block: no
       * thread hop (~0.5 ms on a busy 2-core machine), but a timeout only stops waiting for it.
       */
      isolation: z.enum(['thread', 'none']).default('thread'),
    }),
    z.strictObject({
      command: z.union([
        z.array(z.string().min(1)).min(1),
        // A single string is split on spaces; use the list form for arguments that contain spaces.
        z
          .string()
          .min(1)
          .transform((text) => text.trim().split(/\s+/)),
      ]),
    }),
  ],
  { error: () => 'expected { module: <path> } or { command: [program, ...args] }' },
);

export const manifestSchema = z.strictObject({
  name: z.string().min(1).optional(),
  description: z.string().default(''),
  run,
  inputs: z.record(z.string().regex(/^[A-Za-z_][\w.-]*$/, 'input names are letters, digits, _ . -'), input).default({}),
  outputs: z.record(z.string().min(1), output).default({}),
  concurrency: z.number().int().positive().default(1),
  timeout: durationSchema.default(3_600_000),
  retries: z.number().int().min(0).max(100).default(0),
  /** The wait before the first retry (doubling after each, jittered, capped); the server's `retryDelay` when absent. */
  retryDelay: durationSchema.optional(),
  fileId: z.number().int().positive().optional(),
  repositoryPath: z.string().min(1).optional(),
});

export type Manifest = z.output<typeof manifestSchema>;
