export interface RetryDelayOptions {
  /** The wait before the first retry. @default 1000 */
  baseMs: number;
  /** No wait is longer than this. @default 300_000 (5 min) */
  maxMs: number;
}

/**
 * The wait before the retry that follows attempt `attempt` (1 for the first run): `baseMs`
 * doubled after each attempt, capped at `maxMs`, then jittered to between half and all of it so
 * that jobs failing together (a downstream outage) do not all come back at the same moment.
 */
export const retryDelay = (
  attempt: number,
  { baseMs, maxMs }: RetryDelayOptions,
  random: () => number = Math.random,
): number => {
  const full = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(full / 2 + (random() * full) / 2);
};
