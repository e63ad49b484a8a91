import ms from 'ms';

/**
 * A duration in milliseconds from text such as `30s`, `5m`, `2h`, `7d`, or a number of seconds
 * (a bare number in YAML or an environment variable means seconds). Undefined when invalid.
 */
export const parseDuration = (input: unknown): number | undefined => {
  if (typeof input === 'number') return Number.isFinite(input) && input > 0 ? input * 1000 : undefined;
  if (typeof input !== 'string') return undefined;
  const text = input.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return parseDuration(Number(text));
  const value = ms(text as ms.StringValue);
  return typeof value === 'number' && value > 0 ? value : undefined;
};
