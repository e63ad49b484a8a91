import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A new 256-bit secret, in URL-safe text (it may travel as a query parameter). */
export const newSecret = (): string => randomBytes(32).toString('base64url');

export const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');

// Compared against when there is nothing to compare with, so a missing process costs the same time.
const dummyHash = hashSecret(newSecret());

/** Constant-time check of a presented secret against a stored hash (or none). */
export const secretMatches = (presented: string, storedHash: string | null | undefined): boolean => {
  const given = Buffer.from(hashSecret(presented), 'hex');
  const expected = Buffer.from(storedHash ?? dummyHash, 'hex');
  return timingSafeEqual(given, expected) && storedHash !== null && storedHash !== undefined;
};
