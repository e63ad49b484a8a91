import type { Core } from '@botgate/core';
import type { RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import { ApiTaskError } from '../errors.js';

export interface LoginLimits {
  /** Failed sign-ins allowed per user from one address in the window. @default 5 */
  attempts: number;
  /** Failed sign-ins allowed per user from all addresses together (a guess spread over many machines). @default 20 */
  attemptsPerUser: number;
  /** Failed sign-ins allowed from one address for all users together (password spraying). @default 20 */
  attemptsPerAddress: number;
  /** @default 900_000 (15 minutes) */
  windowMs: number;
}

const table = 'api_task_login_limits';

/**
 * Slows password guessing: past any of three counts of failures in the window (this user from
 * this address, this user from anywhere, anyone from this address) a sign-in is answered 429 with
 * Retry-After before its credentials are even checked. The counts live in the database, so every
 * node refuses together.
 */
export const createLoginLimiter = (core: Core, limits: LoginLimits) => {
  const duration = Math.max(1, Math.round(limits.windowMs / 1000));
  const store = core.store('api-task');
  const limiter = (keyPrefix: string, points: number, clearExpiredByTimeout = false): RateLimiterAbstract =>
    store.rateLimiter({ table, keyPrefix, points, durationSeconds: duration, clearExpiredByTimeout });
  const perUserAndAddress = limiter('login-user-address', limits.attempts, true);
  const perUser = limiter('login-user', limits.attemptsPerUser);
  const perAddress = limiter('login-address', limits.attemptsPerAddress);
  const keysOf = (username: string, address: string | undefined) => {
    const user = username.toLowerCase();
    const from = address ?? '';
    return [
      [perUserAndAddress, `${user}|${from}`],
      [perUser, user],
      [perAddress, from],
    ] as const;
  };
  const refuse = (msBeforeNext: number) => {
    const seconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
    return new ApiTaskError('TOO_MANY_REQUESTS', `too many failed sign-ins; try again in ${seconds} s`, {
      'Retry-After': String(seconds),
    });
  };
  return {
    async check(username: string, address: string | undefined): Promise<void> {
      const states = await Promise.all(keysOf(username, address).map(([l, key]) => l.get(key)));
      const spent = states.filter((state): state is RateLimiterRes => state !== null && state.remainingPoints <= 0);
      if (spent.length > 0) throw refuse(Math.max(...spent.map((state) => state.msBeforeNext)));
    },
    async failed(username: string, address: string | undefined): Promise<void> {
      // Past its points consume rejects with the state; the failure is counted either way.
      await Promise.all(
        keysOf(username, address).map(([l, key]) =>
          l
            .consume(key)
            .catch((rejection: unknown) => (rejection instanceof Error ? Promise.reject(rejection) : undefined)),
        ),
      );
    },
    async succeeded(username: string, address: string | undefined): Promise<void> {
      // The address's count stays: one valid account must not wash a spray clean.
      const [[a, userAddress], [b, user]] = keysOf(username, address);
      await Promise.all([a.delete(userAddress), b.delete(user)]);
    },
  };
};

export type LoginLimiter = ReturnType<typeof createLoginLimiter>;
