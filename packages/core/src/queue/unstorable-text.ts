import { BotgateError } from '../errors.js';
import { causesOf } from './error-causes.js';

// PostgreSQL's SQLSTATEs for text it cannot hold: a NUL byte in a text parameter (22021), a
// \u0000 escape in JSON it converts to text (22P05). SQLite holds both.
const unstorableCodes = new Set(['22021', '22P05']);

/**
 * A statement PostgreSQL refused for a NUL in its text (a sign-in's user name, a filter), as
 * core's `INVALID_TEXT`, which adapters answer 400: the value came from the request. Undefined
 * for any other error.
 */
export const unstorableTextOf = (error: unknown): BotgateError | undefined => {
  for (const { cause, code } of causesOf(error))
    if (code !== undefined && unstorableCodes.has(code))
      return new BotgateError(
        'INVALID_TEXT',
        'a text value holds a NUL character (\\u0000), which botgate cannot store or look up',
        { cause: code },
        { cause },
      );
  return undefined;
};

/**
 * Text a job's process or module wrote (its log, its error), made storable in either database:
 * each NUL becomes U+FFFD, as undecodable bytes already do. PostgreSQL refuses a NUL, and a job
 * whose end could not be written would stay running.
 */
export const storableText = <Text extends string | null>(text: Text): Text =>
  (text !== null && text.includes('\0') ? text.replaceAll('\0', '\uFFFD') : text) as Text;
