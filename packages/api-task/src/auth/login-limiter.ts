import { RateLimiterMemory } from 'rate-limiter-flexible';
import { ApiTaskError } from '../errors.js';

export interface LoginLimits {
  /** Failed logins allowed per user and address in the window. @default 5 */
  attempts: number;
  /** @default 900_000 (15 minutes) */
  windowMs: number;
}

/** Slows password guessing: after too many failures for one user from one address, 429 with Retry-After. */
export const createLoginLimiter = (limits: LoginLimits) => {
  const limiter = new RateLimiterMemory({ points: limits.attempts, duration: Math.max(1, Math.round(limits.windowMs / 1000)) });
  const keyOf = (username: string, address: string | undefined) => `${username.toLowerCase()}|${address ?? ''}`;
  const refuse = (msBeforeNext: number) => {
    const seconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
    return new ApiTaskError('TOO_MANY_REQUESTS', `too many failed logins; try again in ${seconds} s`, { 'Retry-After': String(seconds) });
  };
  return {
    async check(username: string, address: string | undefined): Promise<void> {
      const state = await limiter.get(keyOf(username, address));
      if (state && state.remainingPoints <= 0) throw refuse(state.msBeforeNext);
    },
    async failed(username: string, address: string | undefined): Promise<void> {
      await limiter.consume(keyOf(username, address)).catch(() => undefined);
    },
    async succeeded(username: string, address: string | undefined): Promise<void> {
      await limiter.delete(keyOf(username, address));
    },
  };
};
