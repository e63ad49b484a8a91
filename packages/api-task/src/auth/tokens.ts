import { createSecretKey, randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { ApiTaskError } from '../errors.js';

export type Role = 'admin' | 'developer';

/**
 * What every token names: its user, the user's access stamp when it was signed (a role change or
 * new credentials move the stamp, ending every token signed before) and its own id (`jti`, for
 * signing out one token). Roles are never read from a token: they come from the user's record.
 */
interface IssuedClaims {
  sub: string;
  ver: string;
  jti: string;
  /** Seconds since the epoch, set by signing. */
  exp: number;
  iat?: number;
}

export interface UserClaims extends IssuedClaims {
  typ: 'user';
  username: string;
}

export interface ExecutionClaims extends IssuedClaims {
  typ: 'hotbot';
  /** The allocation the token opens, and no other. */
  alloc: string;
  fileId: number;
}

/** A console session (an HttpOnly cookie): the user, and the token its state-changing calls must echo. */
export interface SessionClaims extends IssuedClaims {
  typ: 'console';
  csrf: string;
}

export type ClaimsToSign<C extends IssuedClaims> = Omit<C, 'typ' | 'jti' | 'exp'>;

export interface TokenOptions {
  key: Buffer;
  /** @default 1_200_000 (20 minutes, as Automation Anywhere's) */
  userLifetimeMs: number;
  /** @default 43_200_000 (12 hours, as the vendor's sample token) */
  executionLifetimeMs: number;
}

// Pinned: a token that says `alg: none`, or RS256 with our key as a "public key", is refused.
const algorithm = 'HS256';
const issuer = 'botgate';
const maxVerified = 10_000;

export const createTokens = (options: TokenOptions) => {
  // A KeyObject made once: given raw bytes, jsonwebtoken tries them as a public key on every
  // call, which cost more than the whole rest of an execute request.
  const key = createSecretKey(options.key);
  const sign = (claims: object, lifetimeMs: number) =>
    jwt.sign(claims, key, {
      algorithm,
      issuer,
      jwtid: randomUUID(),
      expiresIn: Math.max(1, Math.round(lifetimeMs / 1000)),
    });

  // A token's signature is checked once: the same bytes under the same key verify the same way
  // until their `exp` (checked here on every call, as jsonwebtoken does). Only tokens that
  // verified are kept, so a flood of forged ones fills nothing; whether a token still opens
  // anything (its user, its stamp, a sign-out) is the access check's, on every call.
  const verified = new Map<string, jwt.JwtPayload>();
  const verify = (token: string): jwt.JwtPayload => {
    const known = verified.get(token);
    if (known) {
      if (known.exp === undefined || Math.floor(Date.now() / 1000) < known.exp) return known;
      verified.delete(token);
    }
    try {
      const payload = jwt.verify(token, key, { algorithms: [algorithm], issuer });
      // Tokens signed before access stamps existed name none: their users sign in again.
      if (
        typeof payload === 'string' ||
        typeof payload.sub !== 'string' ||
        typeof payload.jti !== 'string' ||
        typeof payload.ver !== 'string'
      )
        throw new Error('not a botgate token');
      if (verified.size >= maxVerified) verified.delete(verified.keys().next().value as string);
      verified.set(token, Object.freeze(payload));
      return payload;
    } catch (error) {
      const expired = error instanceof jwt.TokenExpiredError;
      throw new ApiTaskError(
        'UNAUTHORIZED',
        expired ? 'the token has expired; authenticate again' : 'the token is not valid',
      );
    }
  };

  return {
    signUser: (claims: ClaimsToSign<UserClaims>) => sign({ ...claims, typ: 'user' }, options.userLifetimeMs),
    signExecution: (claims: ClaimsToSign<ExecutionClaims>) =>
      sign({ ...claims, typ: 'hotbot' }, options.executionLifetimeMs),
    signSession: (claims: ClaimsToSign<SessionClaims>, lifetimeMs: number) =>
      sign({ ...claims, typ: 'console' }, lifetimeMs),
    verifySession(token: string): SessionClaims {
      const claims = verify(token);
      if (claims.typ !== 'console') throw new ApiTaskError('UNAUTHORIZED', 'not a console session');
      return claims as unknown as SessionClaims;
    },
    verifyUser(token: string): UserClaims {
      const claims = verify(token);
      if (claims.typ !== 'user')
        throw new ApiTaskError(
          'UNAUTHORIZED',
          'an API Task execution token cannot be used here; authenticate as a user',
        );
      return claims as unknown as UserClaims;
    },
    verifyExecution(token: string, allocationId: string): ExecutionClaims {
      const claims = verify(token);
      if (claims.typ !== 'hotbot')
        throw new ApiTaskError(
          'UNAUTHORIZED',
          'a user token cannot execute; use the X-Authorization token of accessdetails',
        );
      if (claims.alloc !== allocationId) throw new ApiTaskError('UNAUTHORIZED', 'this token is for another API Task');
      return claims as unknown as ExecutionClaims;
    },
  };
};

export type Tokens = ReturnType<typeof createTokens>;
