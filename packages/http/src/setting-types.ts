import { durationSchema } from '@botgate/core';
import { z } from 'zod';

/**
 * Value types of configuration keys, read alike from `botgate.yaml` and from `BOTGATE_*`
 * variables (whose values are text): the server's keys and every adapter's section use them.
 */
export const settingTypes = {
  positiveInt: z.coerce
    .number({ error: 'expected a whole number above 0' })
    .int('expected a whole number above 0')
    .positive('expected a whole number above 0'),
  port: z.coerce
    .number({ error: 'expected a port number, 0 to 65535' })
    .int('expected a port number, 0 to 65535')
    .min(0, 'expected a port number, 0 to 65535')
    .max(65535, 'expected a port number, 0 to 65535'),
  /** A list in YAML, or comma-separated text in an environment variable. */
  textList: z.preprocess(
    (raw) =>
      typeof raw === 'string'
        ? raw
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)
        : raw,
    z.array(z.string().min(1)),
  ),
  /** `30s`, `5m`, `7d`, or milliseconds. */
  duration: durationSchema,
};
