import { closest, distance } from 'fastest-levenshtein';

/** ` (did you mean X?)` for the known name nearest to a misspelt one, or nothing when none is near. */
export const didYouMean = (name: string, known: readonly string[]): string => {
  if (known.length === 0) return '';
  const nearest = closest(
    name.toLowerCase(),
    known.map((k) => k.toLowerCase()),
  );
  const index = known.findIndex((k) => k.toLowerCase() === nearest);
  return distance(name.toLowerCase(), nearest) <= Math.max(2, Math.floor(name.length / 3))
    ? ` (did you mean ${known[index]}?)`
    : '';
};
