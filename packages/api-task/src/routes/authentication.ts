import type { Request, Response } from 'express';
import { z } from 'zod';
import type { createLoginLimiter } from '../auth/login-limiter.js';
import type { Tokens } from '../auth/tokens.js';
import type { User, Users } from '../auth/users.js';
import { ApiTaskError } from '../errors.js';
import { parseBody } from './parse-body.js';

export const credentials = z.union(
  [
    z.object({ username: z.string().min(1), password: z.string().min(1) }),
    z.object({ username: z.string().min(1), apiKey: z.string().min(1) }),
  ],
  { error: () => 'send { "username", "password" } or { "username", "apiKey" }' },
);

export const refreshBody = z.object({ token: z.string().min(1) });

const roleIds = { admin: 1, developer: 2 } as const;

export const userView = (user: User) => ({
  id: user.id,
  username: user.username,
  roles: [{ id: roleIds[user.role], name: user.role }],
  createdOn: user.createdAt.toISOString(),
});

/** `POST /v1/authentication`: a JWT for a user, with the user. */
export const authenticate = (users: Users, tokens: Tokens, limiter: ReturnType<typeof createLoginLimiter>) => async (req: Request, res: Response) => {
  const body = parseBody(credentials, req.body);
  const address = req.socket.remoteAddress;
  await limiter.check(body.username, address);
  const user = await users.verify(body.username, 'password' in body ? { password: body.password } : { apiKey: body.apiKey });
  if (!user) {
    await limiter.failed(body.username, address);
    throw new ApiTaskError('UNAUTHORIZED', 'invalid user name or credentials');
  }
  await limiter.succeeded(body.username, address);
  res.json({ token: tokens.signUser({ sub: String(user.id), username: user.username, role: user.role }), user: userView(user) });
};

/** `POST /v1/authentication/token`: a fresh token for one that is still valid. */
export const refresh = (users: Users, tokens: Tokens) => async (req: Request, res: Response) => {
  const { token } = parseBody(refreshBody, req.body);
  const claims = tokens.verifyUser(token);
  // A removed user's tokens stop renewing.
  const user = await users.find(Number(claims.sub));
  if (!user) throw new ApiTaskError('UNAUTHORIZED', 'the user of this token no longer exists');
  res.json({ token: tokens.signUser({ sub: String(user.id), username: user.username, role: user.role }) });
};
