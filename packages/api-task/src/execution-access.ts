import type { Core } from '@botgate/core';
import { z } from 'zod';
import { createAllocations, type Allocation } from './allocations.js';
import { createLoginLimiter } from './auth/login-limiter.js';
import { loadSigningKey } from './auth/signing-key.js';
import { createTokens, type Tokens } from './auth/tokens.js';
import { createAccessCheck } from './auth/access-check.js';
import { createUsers, type User } from './auth/users.js';
import { ApiTaskError } from './errors.js';

export interface ApiTaskAccessOptions {
  /** HS256 key of all api-task tokens. @default made once into `<dataDir>/api-task-jwt.key` */
  jwtSecret?: string | undefined;
  /** @default 1_200_000 (20 minutes) */
  tokenLifetimeMs?: number | undefined;
  /** @default 43_200_000 (12 hours) */
  executionTokenLifetimeMs?: number | undefined;
  /** Failed sign-ins per user and address before 429, and their window. @default 5 per 15 minutes */
  loginAttempts?: number | undefined;
  /** Failed sign-ins per user from all addresses before 429. @default 20 */
  loginAttemptsPerUser?: number | undefined;
  /** Failed sign-ins from one address for all users before 429 (spraying). @default 20 */
  loginAttemptsPerAddress?: number | undefined;
  loginWindowMs?: number | undefined;
}

/** What a user signs in with: a password, or the API key made with the user. */
// `multipleLogin` as Automation Anywhere documents it; `multiLogin` as some clients send it.
const loginMode = { multipleLogin: z.boolean().optional(), multiLogin: z.boolean().optional() };
export const credentials = z.union(
  [
    z.object({ username: z.string().min(1), password: z.string().min(1), ...loginMode }),
    z.object({ username: z.string().min(1), apiKey: z.string().min(1), ...loginMode }),
  ],
  { error: () => 'send { "username", "password" } or { "username", "apiKey" }' },
);
export type Credentials = z.output<typeof credentials>;

/** What accessdetails answers for one allocated API Task: its URL and a token for it alone. */
export const executionDetails = (tokens: Tokens, allocation: Allocation, user: User, base: string) => ({
  url: `${base.replace(/\/$/, '')}/hotbot/${allocation.id}/execute`,
  headers: {
    'X-Authorization': tokens.signExecution({
      sub: String(user.id),
      ver: user.accessStamp,
      alloc: allocation.id,
      fileId: allocation.fileId,
    }),
  },
});

/**
 * The api-task adapter's users, tokens, sign-in limit and allocations over a core: what its router
 * serves, and what an operator's console uses to sign users in and hand out execution URLs. One
 * instance shared by both sees its own allocation changes at once and counts failed sign-ins
 * together.
 */
export const createApiTaskAccess = (core: Core, options: ApiTaskAccessOptions = {}) => {
  const tokens = createTokens({
    key: loadSigningKey(core.options.dataDir, options.jwtSecret),
    userLifetimeMs: options.tokenLifetimeMs ?? 1_200_000,
    executionLifetimeMs: options.executionTokenLifetimeMs ?? 43_200_000,
  });
  const users = createUsers(core);
  const allocations = createAllocations(core);
  const limiter = createLoginLimiter(core, {
    attempts: options.loginAttempts ?? 5,
    attemptsPerUser: options.loginAttemptsPerUser ?? 20,
    attemptsPerAddress: options.loginAttemptsPerAddress ?? 20,
    windowMs: options.loginWindowMs ?? 900_000,
  });
  return {
    tokens,
    users,
    /** Every token and session checked against the records it was issued from. */
    check: createAccessCheck(core, tokens, users, allocations),
    /**
     * The user these credentials prove, or UNAUTHORIZED; TOO_MANY_REQUESTS after too many failures
     * for that user, from that address, or both.
     */
    async signIn(given: Credentials, address: string | undefined): Promise<User> {
      await limiter.check(given.username, address);
      const user = await users.verify(
        given.username,
        'password' in given ? { password: given.password } : { apiKey: given.apiKey },
      );
      if (!user) {
        await limiter.failed(given.username, address);
        throw new ApiTaskError('UNAUTHORIZED', 'invalid user name or credentials');
      }
      await limiter.succeeded(given.username, address);
      // `multipleLogin: false`: this sign-in is the user's only one; its earlier user tokens end.
      if ((given.multipleLogin ?? given.multiLogin) === false) return users.startSingleLogin(user);
      return user;
    },
    allocations,
    /** A user token for one who signed in. */
    userToken: (user: User) =>
      tokens.signUser({ sub: String(user.id), ver: user.accessStamp, username: user.username }),
    executionDetails: (allocation: Allocation, user: User, base: string) =>
      executionDetails(tokens, allocation, user, base),
  };
};

export type ApiTaskAccess = ReturnType<typeof createApiTaskAccess>;
