import type { Core } from '@botgate/core';
import { createAllocations, type Allocation } from './allocations.js';
import { loadSigningKey } from './auth/signing-key.js';
import { createTokens, type Tokens } from './auth/tokens.js';
import { createUsers } from './auth/users.js';

export interface ApiTaskAccessOptions {
  /** HS256 key of all api-task tokens. @default made once into `<dataDir>/api-task-jwt.key` */
  jwtSecret?: string | undefined;
  /** @default 1_200_000 (20 minutes) */
  tokenLifetimeMs?: number | undefined;
  /** @default 43_200_000 (12 hours) */
  executionTokenLifetimeMs?: number | undefined;
}

/** What accessdetails answers for one allocated API Task: its URL and a token for it alone. */
export const executionDetails = (tokens: Tokens, allocation: Allocation, userSub: string, base: string) => ({
  url: `${base.replace(/\/$/, '')}/hotbot/${allocation.id}/execute`,
  headers: { 'X-Authorization': tokens.signExecution({ sub: userSub, alloc: allocation.id, fileId: allocation.fileId }) },
});

/**
 * The api-task adapter's users, tokens and allocations over a core: what its router serves, and
 * what an operator's console uses to sign users in and hand out execution URLs.
 */
export const createApiTaskAccess = (core: Core, options: ApiTaskAccessOptions = {}) => {
  const tokens = createTokens({
    key: loadSigningKey(core.options.dataDir, options.jwtSecret),
    userLifetimeMs: options.tokenLifetimeMs ?? 1_200_000,
    executionLifetimeMs: options.executionTokenLifetimeMs ?? 43_200_000,
  });
  return {
    tokens,
    users: createUsers(core),
    allocations: createAllocations(core),
    executionDetails: (allocation: Allocation, userSub: string, base: string) => executionDetails(tokens, allocation, userSub, base),
  };
};

export type ApiTaskAccess = ReturnType<typeof createApiTaskAccess>;
