import type { Core, HeldStamp } from '@botgate/core';
import type { Allocation, Allocations } from '../allocations.js';
import { ApiTaskError } from '../errors.js';
import type { ExecutionClaims, SessionClaims, Tokens, UserClaims } from './tokens.js';
import { accessTopic, type User, type Users } from './users.js';

type Verdict<T> = { granted: T } | { refused: ApiTaskError };

const settle = async <T>(check: () => Promise<T>): Promise<Verdict<T>> => {
  try {
    return { granted: await check() };
  } catch (error) {
    if (error instanceof ApiTaskError) return { refused: error };
    throw error;
  }
};

const open = <T>(verdict: Verdict<T>): T => {
  if ('refused' in verdict) throw verdict.refused;
  return verdict.granted;
};

/**
 * Every api-task token and console session checked against current records on every call: the
 * user exists and still has the access stamp the token was signed under (a removal, a role
 * change, new credentials move or end it), the token was not signed out, and an execution
 * token's allocation still exists. Verdicts are kept per token while the access stamp stands
 * still, so the execute path pays one stamp read, not a query per record.
 */
export const createAccessCheck = (core: Core, tokens: Tokens, users: Users, allocations: Allocations) => {
  const userVerdicts = core.stamps.cache<Verdict<User>>(accessTopic);
  const executionVerdicts = core.stamps.cache<Verdict<{ user: User; allocation: Allocation }>>(accessTopic);
  const store = core.store('api-task');
  const revoked = () => store.table<{ jti: string; expires_at: number }>('api_task_revoked_tokens');

  const currentUser = async (claims: { sub: string; ver: string; jti: string }): Promise<User> => {
    const id = Number(claims.sub);
    const [user, signedOut] = await Promise.all([
      Number.isSafeInteger(id) ? users.find(id) : undefined,
      revoked().where({ jti: claims.jti }).first(),
    ]);
    if (!user) throw new ApiTaskError('UNAUTHORIZED', 'the user of this token no longer exists');
    if (signedOut) throw new ApiTaskError('UNAUTHORIZED', 'this token was signed out; authenticate again');
    if (user.accessStamp !== claims.ver)
      throw new ApiTaskError(
        'UNAUTHORIZED',
        "this token was issued before the user's role or credentials changed; authenticate again",
      );
    return user;
  };

  // Keyed by the whole token, whose signature covers every claim the verdict rests on.
  const user = async (token: string, claims: UserClaims | SessionClaims): Promise<User> =>
    open(
      await userVerdicts.get(token, () =>
        settle(async () => {
          const current = await currentUser(claims);
          // Only user tokens: a single login ends the API sign-ins, not console sessions or execution tokens.
          if (
            claims.typ === 'user' &&
            current.singleLoginSince !== null &&
            (claims.iat ?? 0) * 1000 < current.singleLoginSince
          ) {
            throw new ApiTaskError(
              'UNAUTHORIZED',
              'this user signed in again with multipleLogin: false, which ended this token; authenticate again',
            );
          }
          return current;
        }),
      ),
    );

  return {
    /** The current user of a user token. */
    user: (token: string): Promise<User> => user(token, tokens.verifyUser(token)),
    /** The current user of a console session, and its claims (the CSRF token). */
    async session(token: string): Promise<{ user: User; claims: SessionClaims }> {
      const claims = tokens.verifySession(token);
      return { user: await user(token, claims), claims };
    },
    /** The allocation an execution token opens, with its issuing user, both as they are now. */
    async execution(token: string, allocationId: string): Promise<{ user: User; allocation: Allocation }> {
      const claims: ExecutionClaims = tokens.verifyExecution(token, allocationId);
      const verdict = await executionVerdicts.get(token, () =>
        settle(async () => {
          const [issuer, allocation] = await Promise.all([currentUser(claims), allocations.find(claims.alloc)]);
          if (!allocation || allocation.fileId !== claims.fileId)
            throw new ApiTaskError('NOT_FOUND', 'this API Task is not allocated (any more)');
          return { user: issuer, allocation };
        }),
      );
      return open(verdict);
    },
    /**
     * `execution` as this node keeps its verdict, unchecked against the records (`StampedCache.peek`),
     * with the stamp a run confirms as it is written (`actOnKept`); undefined where `execution`
     * must answer (nothing kept, a refusal kept, or a token that does not verify now).
     */
    keptExecution(
      token: string,
      allocationId: string,
    ): { user: User; allocation: Allocation; held: HeldStamp } | undefined {
      const kept = executionVerdicts.peek(token);
      if (!kept || !('granted' in kept.value)) return undefined;
      try {
        tokens.verifyExecution(token, allocationId);
      } catch {
        return undefined;
      }
      return { user: kept.value.granted.user, allocation: kept.value.granted.allocation, held: kept.held };
    },
    /** Whether a user token is valid now (`GET /v1/authentication/token`): signed, unexpired, and its user's. */
    async isValidUserToken(token: string): Promise<boolean> {
      try {
        await user(token, tokens.verifyUser(token));
        return true;
      } catch (error) {
        if (error instanceof ApiTaskError && error.code === 'UNAUTHORIZED') return false;
        throw error;
      }
    },
    /** Signs one token out before it expires; expired entries are pruned as new ones come. */
    async revoke(claims: { jti: string; exp: number }): Promise<void> {
      const now = Date.now();
      await core.stamps.change(accessTopic, async (tx) => {
        await tx('api_task_revoked_tokens').where('expires_at', '<', now).delete();
        await tx('api_task_revoked_tokens')
          .insert({ jti: claims.jti, expires_at: claims.exp * 1000 })
          .onConflict('jti')
          .ignore();
      });
    },
  };
};

export type AccessCheck = ReturnType<typeof createAccessCheck>;
