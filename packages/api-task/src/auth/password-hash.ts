import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

// scrypt's recommended interactive cost (2^15); about 50 ms here, which is the point.
const params = { N: 32768, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } satisfies ScryptOptions;

const derive = (secret: string, salt: Buffer, options: ScryptOptions, length: number): Promise<Buffer> =>
  new Promise((resolve, reject) =>
    scrypt(secret, salt, length, options, (error, key) => (error ? reject(error) : resolve(key))),
  );

/** `scrypt$N$r$p$salt$hash` (base64url): slow on purpose, salted, self-describing. */
export const hashSecret = async (secret: string): Promise<string> => {
  const salt = randomBytes(16);
  const key = await derive(secret, salt, params, 32);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64url'), key.toString('base64url')].join('$');
};

// Verified against when the user does not exist, so a wrong name takes as long as a wrong password.
const dummy = hashSecret('botgate-dummy-secret');

export const verifySecret = async (secret: string, stored: string | null | undefined): Promise<boolean> => {
  const [scheme, n, r, p, salt, hash] = (stored ?? (await dummy)).split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await derive(
    secret,
    Buffer.from(salt, 'base64url'),
    { N: Number(n), r: Number(r), p: Number(p), maxmem: params.maxmem },
    expected.length,
  );
  return timingSafeEqual(key, expected) && stored !== null && stored !== undefined;
};
